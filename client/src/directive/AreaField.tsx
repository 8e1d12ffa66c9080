import type { Position, SessionInfo } from '@lagesbild/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaDrawField } from '../components/AreaDrawField';
import type { FormProblem } from './directive-form';

type AreaFieldProps = {
  session: SessionInfo;
  area: readonly Position[];
  onChange: (area: Position[]) => void;
  problem?: FormProblem;
  mark?: ReactNode;
};

/** The directive's area, drawn on the map a corner at a time, as the incident's area is. */
export function AreaField({ session, area, onChange, problem, mark }: AreaFieldProps) {
  const { t } = useTranslation();
  return (
    <AreaDrawField
      session={session}
      className="directive-editor__area"
      legend={
        <>
          {t('directive.field.area')} {mark}
        </>
      }
      help={t('directive.areaHelp')}
      mapLabel={t('directive.areaMap')}
      mapTestId="directive-area-map"
      area={area}
      onChange={(edit) => onChange(edit(area))}
      error={problem ? t(`directive.problem.${problem}`) : null}
    />
  );
}
