import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What a PDF says: its page count and each page's text, as a reader would copy it. */
export type PdfText = { pageCount: number; pages: string[] };

/**
 * Reads the text of a PDF (such as one Chromium printed) with PDF.js. The legacy build runs
 * in Node without a DOM; text extraction needs no canvas, fonts from the system or eval.
 */
export async function pdfText(pdf: Uint8Array): Promise<PdfText> {
  const document = await getDocument({
    // PDF.js takes the buffer over; a copy leaves the caller's bytes intact.
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(
        content.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
          .join('')
          // Chromium places words as separate runs; one space between them reads as the page.
          .replace(/[ \t]+/g, ' '),
      );
    }
    return { pageCount: document.numPages, pages };
  } finally {
    await document.destroy();
  }
}
