/**
 * The WebDAV If header (RFC 4918 §10.4): lists of conditions on state tokens (lock tokens) and entity
 * tags, each list optionally tagged with the resource it is about. The header holds when any list
 * holds; a list holds when all its conditions do. Lock tokens named in the header (outside "Not") are
 * also how a client submits the tokens of the locks it owns.
 */
export interface IfCondition {
  not: boolean;
  /** A state token ("opaquelocktoken:…", "urn:uuid:…", "DAV:no-lock"). */
  token?: string;
  /** An entity tag, quotes included ("W/" kept as sent). */
  etag?: string;
}

export interface IfList {
  /** The tagged resource (an absolute URI or a path, as sent); undefined: the request's target. */
  resource?: string;
  conditions: IfCondition[];
}

export class IfHeaderSyntaxError extends Error {
  constructor(message: string) {
    super(`If header: ${message}`);
    this.name = "IfHeaderSyntaxError";
  }
}

const maxHeaderLength = 16 * 1024;
const maxConditions = 256;

export function parseIfHeader(header: string): IfList[] {
  if (header.length > maxHeaderLength) throw new IfHeaderSyntaxError("too long");
  const lists: IfList[] = [];
  let at = 0;
  let tagged: boolean | undefined;
  let resource: string | undefined;
  let conditionCount = 0;
  const skipSpace = () => {
    while (at < header.length && " \t".includes(header[at])) at++;
  };
  /** Reads up to `close`; a quoted string inside (an entity tag) may contain it. */
  const readUntil = (close: string): string => {
    const start = at;
    let quoted = false;
    while (at < header.length && (quoted || header[at] !== close)) {
      if (header[at] === '"') quoted = !quoted;
      at++;
    }
    if (at >= header.length) throw new IfHeaderSyntaxError(`missing "${close}"`);
    return header.slice(start, at++);
  };
  for (skipSpace(); at < header.length; skipSpace()) {
    if (header[at] === "<") {
      // A resource tag: a list must follow, and then every list in the header is tagged.
      if (tagged === false) throw new IfHeaderSyntaxError("tagged and untagged lists mixed");
      tagged = true;
      at++;
      resource = readUntil(">").trim();
      if (resource === "") throw new IfHeaderSyntaxError("empty resource tag");
      skipSpace();
      if (header[at] !== "(") throw new IfHeaderSyntaxError("a resource tag without a list");
      continue;
    }
    if (header[at] !== "(") throw new IfHeaderSyntaxError(`unexpected ${JSON.stringify(header[at])}`);
    if (tagged === undefined) tagged = false;
    at++;
    const conditions: IfCondition[] = [];
    for (skipSpace(); header[at] !== ")"; skipSpace()) {
      if (at >= header.length) throw new IfHeaderSyntaxError('missing ")"');
      let not = false;
      if (/^not\b/i.test(header.slice(at, at + 4))) {
        not = true;
        at += 3;
        skipSpace();
      }
      if (header[at] === "<") {
        at++;
        const token = readUntil(">").trim();
        if (token === "") throw new IfHeaderSyntaxError("empty state token");
        conditions.push({ not, token });
      } else if (header[at] === "[") {
        at++;
        const etag = readUntil("]").trim();
        if (!/^(W\/)?"[^"]*"$/.test(etag)) throw new IfHeaderSyntaxError(`bad entity tag ${etag}`);
        conditions.push({ not, etag });
      } else {
        throw new IfHeaderSyntaxError("a condition is a <state token> or an [entity tag]");
      }
      if (++conditionCount > maxConditions) throw new IfHeaderSyntaxError("too many conditions");
    }
    at++;
    if (conditions.length === 0) throw new IfHeaderSyntaxError("an empty list");
    lists.push({ resource: tagged ? resource : undefined, conditions });
  }
  if (lists.length === 0) throw new IfHeaderSyntaxError("no list");
  return lists;
}

/** What a condition is checked against: the current entity tag and the locks of one resource. */
export interface ResourceState {
  /** Undefined for a resource that has none (a collection, a missing resource). */
  etag?: string;
  /** Whether `token` is the token of a lock on (or covering) the resource. */
  locked(token: string): boolean;
}

/** Entity tags compare by their opaque part here; a weak tag matches its strong twin. */
function sameEntityTag(a: string, b: string): boolean {
  return a.replace(/^W\//, "") === b.replace(/^W\//, "");
}

/**
 * Whether the header holds. `stateOf(resource)` gives the state of a tagged resource (undefined for the
 * request's target); a resource it cannot find (another server, a missing file) has no etag and no locks.
 */
export async function ifHeaderHolds(
  lists: IfList[],
  stateOf: (resource: string | undefined) => Promise<ResourceState | undefined>,
): Promise<boolean> {
  const states = new Map<string | undefined, ResourceState | undefined>();
  for (const list of lists) {
    if (!states.has(list.resource)) states.set(list.resource, await stateOf(list.resource));
    const state = states.get(list.resource);
    const holds = list.conditions.every((condition) => {
      const met = condition.token !== undefined
        ? state?.locked(condition.token) ?? false
        : state?.etag !== undefined && sameEntityTag(state.etag, condition.etag!);
      return met !== condition.not;
    });
    if (holds) return true;
  }
  return false;
}

/** The lock tokens the client submits with this header: every state token not under "Not". */
export function submittedTokens(lists: IfList[]): Set<string> {
  const tokens = new Set<string>();
  for (const list of lists) {
    for (const condition of list.conditions) {
      if (condition.token !== undefined && !condition.not) tokens.add(condition.token);
    }
  }
  return tokens;
}
