import { type Element, MalformedXmlError, parseXml } from "./xml.ts";

/** A request body over what the method accepts. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body is over ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** The body as UTF-8 text, read no further than `limit` bytes whatever Content-Length says. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of request.body) {
    length += chunk.length;
    if (length > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.length) - chunk.length);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedXmlError("the body is not UTF-8");
  }
}

const maxXmlBody = 1 << 20;

/** The body's root element, or undefined for an empty body; malformed XML throws MalformedXmlError. */
export async function readXmlBody(request: Request): Promise<Element | undefined> {
  const text = await readBodyText(request, maxXmlBody);
  return text.trim() === "" ? undefined : parseXml(text);
}
