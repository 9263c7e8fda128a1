import { canonicalJson, contentHash } from '../../lib/hash';
import { normaliseName, procoreVendorFrom, vendorMatchKeys } from '../../mappings/vendor-import';

describe('procoreVendorFrom', () => {
  const acumaticaVendor = {
    VendorID: 'V100262',
    VendorName: "O'Brien & Sons Masonry",
    Status: 'Active',
    TaxRegistrationID: '84-0975531',
    MainContact: {
      Email: 'office@obriensons.example',
      Phone1: '303-555-0119',
      Address: { AddressLine1: '18 Ford St', City: 'Golden', State: 'CO', PostalCode: '80401', Country: 'US' },
    },
  };

  it('maps every field, with the Vendor ID as origin_id and origin_code', () => {
    expect(procoreVendorFrom(acumaticaVendor)).toEqual({
      ok: true,
      payload: {
        origin_id: 'V100262',
        origin_code: 'V100262',
        name: "O'Brien & Sons Masonry",
        is_active: true,
        business_id: '84-0975531',
        email_address: 'office@obriensons.example',
        business_phone: '303-555-0119',
        address: '18 Ford St',
        city: 'Golden',
        state_code: 'CO',
        zip: '80401',
        country_code: 'US',
      },
    });
  });

  it('sends inactive vendors as inactive', () => {
    expect(procoreVendorFrom({ ...acumaticaVendor, Status: 'Inactive' })).toMatchObject({
      payload: { is_active: false },
    });
  });

  it('puts a vendor without a name, or with one too long for Procore, on the exception list', () => {
    expect(procoreVendorFrom({ VendorID: 'V1', VendorName: '  ' })).toEqual({
      ok: false,
      reason: 'Vendor V1 has no name; enter the Vendor Name in Acumatica (AP303000).',
    });
    expect(procoreVendorFrom({ VendorID: 'V2', VendorName: 'x'.repeat(256) })).toMatchObject({ ok: false });
  });
});

describe('vendor matching', () => {
  it('matches by tax id first, then by a normalised name', () => {
    expect(vendorMatchKeys({ name: "O'Brien & Sons Masonry, LLC", business_id: '84-0975531' })).toEqual([
      'tax:840975531',
      'name:OBRIEN AND SONS MASONRY',
    ]);
    expect(normaliseName('OBrien and Sons Masonry Inc.')).toBe(normaliseName("O'Brien & Sons Masonry"));
  });
});

describe('contentHash', () => {
  it('ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1, c: undefined }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});
