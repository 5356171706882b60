import * as assert from 'node:assert/strict';
import { PyDatetime, PyDict, pickleDumps, pickleLoads, pyEquals, pyRepr, type PyValue } from '../../../../engine/src/codec';
import { CodecError } from '../../../../engine/src/codec/codecError';

/**
 * CPython 3.11's pickle.dumps(v, 4) and (v, 2) of {'a': datetime(2024, 10, 27, 2, 30,
 * tzinfo=ZoneInfo('Europe/Paris'), fold=1), 'z': ZoneInfo('Europe/Paris'),
 * 'd': pytz.timezone('Europe/Paris').localize(datetime(2024, 7, 1))}.
 */
const ZONES_4 =
  '800495d2000000000000007d94288c0161948c086461746574696d65948c086461746574696d65949394430a07e88a1b021e00000000948c086275696c74696e73948c07676574617474729493948c087a6f6e65696e666f948c085a6f6e65496e666f9493948c095f756e7069636b6c6594869452948c0c4575726f70652f5061726973944b0186945294869452948c017a9468118c0164946804430a07e80701000000000000948c047079747a948c025f70949394288c0c4575726f70652f5061726973944d201c4d100e8c0443455354947494529486945294752e';
const ZONES_2 =
  '80027d7100285801000000617101636461746574696d650a6461746574696d650a7102635f636f646563730a656e636f64650a7103580b00000007c3a80a1b021e00000000710458060000006c6174696e317105867106527107635f5f6275696c74696e5f5f0a676574617474720a7108637a6f6e65696e666f0a5a6f6e65496e666f0a710958090000005f756e7069636b6c65710a86710b52710c580c0000004575726f70652f5061726973710d4b0186710e52710f86711052711158010000007a7112680f580100000064711368026803580b00000007c3a8070100000000000071146805867115527116637079747a0a5f700a711728580c0000004575726f70652f506172697371184d201c4d100e580400000043455354711974711a52711b86711c52711d752e';
/** {'t': time(1, 2, tzinfo=ZoneInfo('Europe/Paris'))} and {'s': pytz.timezone('EST')}, protocol 4. */
const ZONED_TIME = '8004957d000000000000007d948c0174948c086461746574696d65948c0474696d659493944306010200000000948c086275696c74696e73948c07676574617474729493948c087a6f6e65696e666f948c085a6f6e65496e666f9493948c095f756e7069636b6c6594869452948c0c4575726f70652f5061726973944b018694529486945294732e';
const STATIC_PYTZ = '80049520000000000000007d948c0173948c047079747a948c025f709493948c034553549485945294732e';

const load = (hex: string) => pickleLoads(new Uint8Array(Buffer.from(hex, 'hex'))) as PyDict;

describe('pickled named time zones: zoneinfo.ZoneInfo and pytz', () => {
  it('reads ZoneInfo and localized pytz zones, with the offset each datetime has in its zone (fold included)', () => {
    const data = load(ZONES_4);
    assert.equal(
      pyRepr(data),
      "{'a': datetime.datetime(2024, 10, 27, 2, 30, tzinfo=zoneinfo.ZoneInfo(key='Europe/Paris'), fold=1), 'z': zoneinfo.ZoneInfo(key='Europe/Paris'), 'd': datetime.datetime(2024, 7, 1, 0, 0, tzinfo=<DstTzInfo 'Europe/Paris' CEST+2:00:00 DST>)}",
    );
    // 02:30 happens twice that night in Paris: fold=1 is the second time, in winter time.
    assert.equal((data.get('a') as PyDatetime).isoformat(), '2024-10-27T02:30:00+01:00');
    assert.equal((data.get('d') as PyDatetime).isoformat(), '2024-07-01T00:00:00+02:00');
    assert.equal((data.get('a') as PyDatetime).toDate().toISOString(), '2024-10-27T01:30:00.000Z');
    // Protocol 2 has no fold: the first 02:30, in summer time.
    assert.equal((load(ZONES_2).get('a') as PyDatetime).isoformat(), '2024-10-27T02:30:00+02:00');
  });

  it('writes them back with the opcodes CPython uses (ZoneInfo._unpickle, pytz._p), reading back equal', () => {
    const written = Buffer.from(pickleDumps(load(ZONES_4), 4)).toString('hex');
    // CPython shares one ZoneInfo object through its memo; a datetime's zone here is its own.
    assert.ok(written.includes('8c086275696c74696e73948c07676574617474729493948c087a6f6e65696e666f948c085a6f6e65496e666f9493948c095f756e7069636b6c6594869452948c0c4575726f70652f5061726973944b0186945294'));
    assert.ok(written.includes('8c047079747a948c025f70949394288c0c4575726f70652f5061726973944d201c4d100e8c04434553549474945294'));
    for (const protocol of [2, 3, 4, 5]) {
      const data: PyValue = load(ZONES_4);
      assert.ok(pyEquals(pickleLoads(pickleDumps(data, protocol)), protocol < 4 ? load(ZONES_2) : data), `protocol ${protocol}`);
    }
  });

  it('refuses what it cannot give an offset: a time with a named zone, a static pytz zone, an unknown key', () => {
    for (const hex of [ZONED_TIME, STATIC_PYTZ, ZONES_4.replace('4575726f70652f5061726973', '4575726f70652f5061727a73')]) {
      assert.throws(() => load(hex), (e: unknown) => e instanceof CodecError && e.code === 'bad-pickle');
    }
  });
});
