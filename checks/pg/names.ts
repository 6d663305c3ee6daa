// Identifiers from the configuration (tables, columns) are never pasted into SQL as written:
// they are parsed the way PostgreSQL reads them and quoted. `public.Reservations` names the
// table public.reservations (unquoted names fold to lower case, as in SQL); `"Public"."Guest"`
// keeps its case; a dot inside quotes is part of the name.

export interface QualifiedName {
  /** null when the name was not schema-qualified (the search_path decides). */
  schema: string | null;
  name: string;
}

/** pg's escapeIdentifier: double quotes around, inner double quotes doubled. */
export function quoteIdent(identifier: string): string {
  return '"' + identifier.replace(/"/g, '""') + '"';
}

/** Split `schema.table` (or `table`, or `"My Schema"."My.Table"`) into its parts. */
export function parseIdentifierPath(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const source = text.trim();
  if (source === '') throw new Error('empty identifier');
  while (i <= source.length) {
    let part = '';
    if (source[i] === '"') {
      i++;
      for (;;) {
        if (i >= source.length) throw new Error(`unterminated quoted identifier in "${text}"`);
        if (source[i] === '"') {
          if (source[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += source[i++];
      }
      if (part === '') throw new Error(`empty quoted identifier in "${text}"`);
    } else {
      const start = i;
      while (i < source.length && source[i] !== '.') i++;
      part = source.slice(start, i).trim();
      // An ASCII name is told without the Unicode letter classes (compiling them costs milliseconds).
      if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(part) && !/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(part)) {
        throw new Error(`"${text}" is not a valid name (quote it with double quotes if it must contain "${part}")`);
      }
      part = part.toLowerCase();
    }
    parts.push(part);
    if (i >= source.length) break;
    if (source[i] !== '.') throw new Error(`unexpected "${source[i]}" in "${text}"`);
    i++;
    if (i >= source.length) throw new Error(`"${text}" ends with a dot`);
  }
  return parts;
}

/** `table` or `schema.table`; anything longer is an error (database-qualified names are not portable). */
export function parseQualifiedName(text: string): QualifiedName {
  const parts = parseIdentifierPath(text);
  if (parts.length === 1) return { schema: null, name: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, name: parts[1]! };
  throw new Error(`"${text}" has too many parts: write table or schema.table`);
}

/** Quoted SQL for a configured table name: `public.Reservations` → `"public"."reservations"`. */
export function quoteQualified(text: string): string {
  const { schema, name } = parseQualifiedName(text);
  return schema === null ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** Quoted SQL for a configured column name (one part only). */
export function quoteColumn(text: string): string {
  const parts = parseIdentifierPath(text);
  if (parts.length !== 1) throw new Error(`"${text}" is not a column name`);
  return quoteIdent(parts[0]!);
}

/** How a qualified name is shown in messages: schema.table, quoted only where needed. */
export function displayName({ schema, name }: QualifiedName): string {
  const show = (s: string) => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : quoteIdent(s));
  return schema === null ? show(name) : `${show(schema)}.${show(name)}`;
}
