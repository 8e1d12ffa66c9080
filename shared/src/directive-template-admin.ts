import type { AdminDirectiveTemplate } from './admin-api.js';
import type { State } from './model.js';
import { ownEntry } from './records.js';
import type { RegionConfig } from './region.js';

// The administrator's view of the prepared directives: every one the region file or the app
// holds, with where it comes from, so a changed or removed region-file template can be told
// apart from the file's own and restored (`directiveTemplate.restore` drops the app's entry). `directiveTemplatesOf` is what drafters are offered.

/**
 * The region file's templates in file order (as they are, changed, or removed), then those
 * saved only in the app, oldest first. Templates removed that only the app ever had are gone.
 */
export function adminDirectiveTemplates(
  region: Pick<RegionConfig, 'directiveTemplates'>,
  state: Pick<State, 'directiveTemplates'>,
): AdminDirectiveTemplate[] {
  const fromFile = new Set(region.directiveTemplates.map((t) => t.id));
  const ofFile = region.directiveTemplates.map((fileTemplate): AdminDirectiveTemplate => {
    const saved = ownEntry(state.directiveTemplates, fileTemplate.id);
    if (!saved) return { template: fileTemplate, origin: 'region', savedAt: null, savedBy: null, seq: null };
    const stamp = { savedAt: saved.at, savedBy: saved.by.userName, seq: saved.seq };
    return saved.template
      ? { template: saved.template, origin: 'changed', ...stamp }
      : { template: fileTemplate, origin: 'removed', ...stamp };
  });
  const appOnly = Object.entries(state.directiveTemplates)
    .filter(([id]) => !fromFile.has(id))
    .map(([, saved]) => saved)
    .sort((a, b) => a.seq - b.seq)
    .flatMap((saved): AdminDirectiveTemplate[] =>
      saved.template
        ? [
            {
              template: saved.template,
              origin: 'app',
              savedAt: saved.at,
              savedBy: saved.by.userName,
              seq: saved.seq,
            },
          ]
        : [],
    );
  return [...ofFile, ...appOnly];
}
