import { storeLocation, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';

/** `stores`: the resolved stores, with where they came from; secrets are never printed. */
export async function storesCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const rows = stores.map((d) => ({
    id: d.id,
    engine: d.engine,
    enginePath: d.enginePath,
    location: storeLocation(d),
    table: d.table,
    serializer: d.serializer,
    salt: d.salt,
    secretKey: d.secretKeys.values.length > 0 ? `known (${d.secretKeys.values.length} key${d.secretKeys.values.length === 1 ? '' : 's'})` : `missing: ${d.secretKeys.missing ?? 'not set'}`,
    source: d.source ? `${d.source.file}:${d.source.line}` : undefined,
  }));
  if (args.json) {
    out(toJsonText({ stores: rows }));
  } else {
    for (const r of rows) {
      out(`${r.id}\t${r.engine}\t${r.location ?? ''}\tsecret key ${r.secretKey}`);
    }
  }
  return ExitCode.ok;
}
