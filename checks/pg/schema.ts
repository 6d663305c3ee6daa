// Config fragments shared by the database kinds. Messages never echo the URL (it may hold a password).
import * as z from 'zod';
import { parseIdentifierPath, parseQualifiedName } from './names.js';
import { isPostgresUrl } from './target.js';

export const pgUrl = z
  .string({ error: 'url is required: a postgres:// connection URL, usually ${DATABASE_URL}' })
  .trim()
  .min(1, 'url is empty (is the environment variable set?)')
  .refine(isPostgresUrl, 'url must be a postgres:// or postgresql:// connection URL');

/** `table` or `schema.table`, as PostgreSQL would read it. */
export const tableName = z.string().superRefine((value, ctx) => {
  try {
    parseQualifiedName(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

export const columnName = z.string().superRefine((value, ctx) => {
  try {
    if (parseIdentifierPath(value).length !== 1) throw new Error(`"${value}" is not a column name`);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** One SQL statement (no `;` separating a second one: the extended protocol would refuse it anyway). */
export const sqlQuery = z.string().trim().min(1, 'query is empty');
