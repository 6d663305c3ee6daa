// A JSON Schema of imos.yaml for editors (`imos schema`), built from the same zod schemas the
// loader validates with, so the two never disagree.
import * as z from 'zod';
import { allCheckKinds } from '../../checks/registry.js';
import { commonCheckSchema, configSchema } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  const kinds = allCheckKinds().map((kind) =>
    z.intersection(commonCheckSchema.extend({ kind: z.literal(kind.kind) }), kind.schema).describe(kind.description),
  );
  const checks = kinds.length > 0 ? z.array(kinds.length === 1 ? kinds[0]! : z.union(kinds as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])) : z.array(commonCheckSchema);
  const schema = configSchema().extend({ checks: checks.optional() });
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, title: 'imos configuration (imos.yaml)' };
}
