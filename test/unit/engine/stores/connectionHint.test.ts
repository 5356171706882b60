import * as assert from 'node:assert/strict';
import { connectionHint } from '../../../../engine/src/stores/sql/connectionHint';

describe('connectionHint', () => {
  const target = { host: 'db.internal', port: 5432, name: 'app', user: 'app' };

  it("points a pg_hba.conf refusal at the server's access rules, not at TLS, though PostgreSQL's text names the encryption", () => {
    for (const refusal of [
      'no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", no encryption',
      'no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", SSL off',
      'with TLS: no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", SSL encryption; without TLS: no pg_hba.conf entry for host "10.0.0.5", user "app", database "app", no encryption (sslmode=prefer)',
    ]) {
      assert.match(connectionHint(refusal, target, 'PGPASSWORD'), /^Check that the server's pg_hba\.conf has a line letting this user reach this database from this machine's address/, refusal);
    }
  });

  it('still points a TLS failure at the TLS settings', () => {
    assert.equal(connectionHint('self-signed certificate in certificate chain', target, 'PGPASSWORD'), 'Check the TLS settings (sslmode, sslrootcert) and that the server offers TLS.');
  });
});
