import type { Actor, ActorStatus, FeatureKind, Geometry, LatLng, Position } from '@lagesbild/shared';

// Types only: importing them does not pull Leaflet into the first bundle.

/** One shape on the map: a reported feature, an incident's area, or what is being drawn. */
export type MapShape = {
  key: string;
  geometry: Geometry;
  colour: string;
  kind: FeatureKind | 'area';
  /** Shown when the shape is picked, e.g. "Avstängd väg – Nacka kommun". */
  title: string;
};

/** The geometry being drawn, vertex by vertex. */
export type DraftShape = { type: Geometry['type']; positions: readonly Position[] };

/** The municipalities coloured by their actors' latest statuses on one incident. */
export type MunicipalStatusLayer = {
  /** The region's actors: the map finds each municipality's actor among them. */
  actors: readonly Actor[];
  /** Each municipality actor's latest status; null (or missing) when it has not reported. */
  statusOf: ReadonlyMap<string, ActorStatus | null>;
  /** The status word written under a reported municipality's name, e.g. "Ansträngd". */
  statusWord: (status: ActorStatus) => string;
  /** A click on a municipality names its actor; without this the municipalities are not clickable. */
  onSelect?: (actorId: string) => void;
  /** The municipality whose report is open, drawn with a heavier border. */
  selectedActorId?: string | null;
};

export type MapViewProps = {
  /** What the map shows, for screen readers. */
  label: string;
  center: LatLng;
  zoom: number;
  tiles: { url: string; attribution: string };
  shapes: readonly MapShape[];
  draft?: DraftShape | null;
  /** Drawing: a click (or the centre button) adds a vertex here. */
  onPick?: (position: LatLng) => void;
  /** Zoom to the shapes the first time there are any. */
  fitToShapes?: boolean;
  /**
   * Keep every shape in view as more arrive (a display nobody touches), but leave the view
   * alone for a while after a person pans or zooms. Implies `fitToShapes`.
   */
  followShapes?: boolean;
  /** Colours of the municipal borders: light for the operator's map, dark for the wall's. */
  appearance?: 'light' | 'dark';
  /** Colours the municipal borders by status (an incident's picture); without it they stay plain. */
  municipalStatus?: MunicipalStatusLayer;
  testId?: string;
};
