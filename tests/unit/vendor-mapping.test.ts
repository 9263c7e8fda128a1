import { changedFields } from '../../activities/export';
import { mapVendor, vendorClassFor, vendorIdFor, type VendorSnapshot } from '../../mappings/vendor';

const vendor: VendorSnapshot = {
  procoreId: '31007',
  label: 'Cascade Glass & Glazing',
  lineIds: [],
  name: 'Cascade Glass & Glazing',
  originCode: null,
  tradeName: 'Glazing',
  taxId: '84-5521804',
  email: 'info@cascadeglass.example',
  phone: '720-555-0131',
  address: '1400 Peoria St',
  city: 'Aurora',
  stateCode: 'CO',
  zip: '80011',
  countryCode: 'US',
  isActive: true,
};

describe('mapVendor', () => {
  it('maps every field, with the marker in AccountRef', () => {
    expect(mapVendor(vendor)).toEqual({
      VendorID: 'PC31007',
      VendorName: 'Cascade Glass & Glazing',
      VendorClass: 'SUBCON',
      Status: 'Active',
      AccountRef: 'PROCORE-31007',
      TaxRegistrationID: '84-5521804',
      MainContact: {
        Email: 'info@cascadeglass.example',
        Phone1: '720-555-0131',
        Address: { AddressLine1: '1400 Peoria St', City: 'Aurora', State: 'CO', PostalCode: '80011', Country: 'US' },
      },
    });
  });

  it('uses the ERP vendor id the approver gave, upper-cased and cut to 30 characters', () => {
    expect(vendorIdFor({ ...vendor, originCode: ' cascade-gl ' })).toBe('CASCADE-GL');
    expect(vendorIdFor({ ...vendor, originCode: 'x'.repeat(40) })).toHaveLength(30);
  });

  it('classes material suppliers as SUPPLIER', () => {
    expect(vendorClassFor({ ...vendor, tradeName: 'Lumber Supplier' })).toBe('SUPPLIER');
    expect(vendorClassFor({ ...vendor, tradeName: null })).toBe('SUBCON');
  });

  it('maps inactive vendors as Inactive', () => {
    expect(mapVendor({ ...vendor, isActive: false }).Status).toBe('Inactive');
  });
});

describe('changedFields', () => {
  it('sends only header fields that differ, never immutable ones or linked entities', () => {
    const existing = {
      VendorID: { value: 'V100999' },
      VendorName: { value: 'Cascade Glass & Glazing' },
      VendorClass: { value: 'GLAZING' },
      Status: { value: 'Active' },
      Date: { value: '2024-03-18T00:00:00+00:00' },
    };
    const desired = { ...mapVendor(vendor), Date: '2024-03-18' };
    expect(changedFields(desired, existing, ['VendorID', 'VendorClass'])).toEqual({
      AccountRef: 'PROCORE-31007',
      TaxRegistrationID: '84-5521804',
    });
  });
});
