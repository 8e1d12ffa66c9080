// Printing the minutes: minutes.css holds the print rules, scoped to this class.

/** The class that scopes the print stylesheet to the minutes while they are being printed. */
export const PRINTING_MINUTES = 'printing-minutes';

/**
 * Prints the minutes alone: the body is marked while the print dialog is open, so the
 * minutes' print rules never apply to printing anything else, and are gone afterwards.
 */
export function printMinutes(): void {
  const body = document.body;
  const done = () => {
    body.classList.remove(PRINTING_MINUTES);
    window.removeEventListener('afterprint', done);
  };
  body.classList.add(PRINTING_MINUTES);
  window.addEventListener('afterprint', done);
  try {
    window.print();
  } catch (error) {
    done();
    throw error;
  }
}
