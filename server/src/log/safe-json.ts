/** The parsed JSON, or undefined when `text` is not JSON: the schema check that follows reports it. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
