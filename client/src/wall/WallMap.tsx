import type { Incident } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { actorColour, actorShortLabel } from '../domain/actors';
import { countByStatus, municipalStatuses, statusByActor } from '../domain/map-municipalities';
import { fieldReportPoints } from '../domain/picture';
import { LazyMap } from '../map/LazyMap';
import type { MapShape, MunicipalStatusLayer } from '../map/map-types';
import { MunicipalStatusLegend } from '../map/MunicipalStatusLegend';
import { checkinShapes, fieldReportShapes } from '../phone/checkin-shapes';
import { incidentMapContent } from './wall-view';
import type { WallDisplay } from './wall-store';
import { useWallFrame } from './wall-frame';

/**
 * The incident's map: its area, each actor's latest features, and who is checked in
 * where. The map itself is the operator's (one canvas, layers redrawn in place); the
 * shapes only change when reports or check-ins do, not on every event. It follows the
 * shapes: nobody touches a wall, so a feature reported outside the view must bring
 * itself into view. The municipalities are coloured by their latest reports: the picture
 * a room reads at a glance. Nobody clicks a wall, so they open nothing.
 */
export function WallMap({ incident, display }: { incident: Incident; display: WallDisplay }) {
  const { t } = useTranslation();
  const reports = useWallFrame((s) => s.state.reports);
  const checkins = useWallFrame((s) => s.state.checkins);
  // The hub sends a wall only what is shared with the whole region, field reports too.
  const fieldReports = useWallFrame((s) => s.state.fieldReports);
  const { region } = display;
  const content = useMemo(
    () => incidentMapContent({ reports, checkins }, incident.id),
    [reports, checkins, incident.id],
  );
  const municipalities = useMemo(
    () => municipalStatuses(reports, incident.id, region.actors),
    [reports, incident.id, region.actors],
  );
  const municipalLayer = useMemo<MunicipalStatusLayer>(
    () => ({
      actors: region.actors,
      statusOf: statusByActor(municipalities),
      statusWord: (status) => t(`actorStatus.${status}`),
    }),
    [region.actors, municipalities, t],
  );
  const shapes = useMemo<MapShape[]>(() => {
    const list: MapShape[] = content.features.map(({ feature, actorId }) => ({
      key: feature.id,
      geometry: feature.geometry,
      colour: actorColour(region, actorId),
      kind: feature.kind,
      title: `${feature.label} – ${actorShortLabel(region, actorId)}`,
    }));
    // Drawn as an affected area in a light tone: the map's own outline for areas is dark,
    // made for a light map, and would vanish on the wall's dark one.
    if (incident.area) {
      list.unshift({
        key: 'area',
        geometry: incident.area,
        colour: '#cbd5e1',
        kind: 'affectedArea',
        title: '',
      });
    }
    list.push(
      ...fieldReportShapes(fieldReportPoints({ fieldReports }, incident.id), region, (fieldReport) =>
        t('fieldReport.onMap', {
          eventType: fieldReport.eventType,
          actor: actorShortLabel(region, fieldReport.actorId),
        }),
      ),
    );
    list.push(...checkinShapes(content.checkins, region, (status) => t(`phone.checkinStatus.${status}`)));
    return list;
  }, [content, fieldReports, incident.area, incident.id, region, t]);

  return (
    <section
      className="wall-map"
      aria-label={t('wall.map')}
      data-testid="wall-map"
      data-shape-count={shapes.length}
    >
      <LazyMap
        label={t('wall.map')}
        center={region.map.center}
        zoom={region.map.zoom}
        tiles={display.tiles}
        shapes={shapes}
        followShapes
        appearance="dark"
        municipalStatus={municipalLayer}
        testId="wall-leaflet"
      />
      {municipalities.length > 0 && (
        <MunicipalStatusLegend
          counts={countByStatus(municipalities)}
          heading={t('wall.mapStatusLegend')}
          appearance="dark"
          className="wall-status-legend"
        />
      )}
      <p className="wall-map__legend">{t('wall.onDuty', { count: content.checkins.length })}</p>
    </section>
  );
}
