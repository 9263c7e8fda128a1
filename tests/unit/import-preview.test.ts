import { fieldChanges } from '../../activities/import-preview';

describe('fieldChanges (the field diff of an import dry run)', () => {
  test('each changed scalar with both values; a list as its item counts; equal fields left out', () => {
    const before = { name: 'Front Range Electrical', city: 'Denver', lines: [{ a: 1 }, { a: 2 }], zip: null };
    const after = {
      name: 'Front Range Electrical, Inc.',
      city: 'Denver',
      lines: [{ a: 1 }, { a: 3 }, { a: 4 }],
      email: 'x@y',
    };
    expect(fieldChanges(before, after)).toEqual([
      { field: 'name', from: 'Front Range Electrical', to: 'Front Range Electrical, Inc.' },
      { field: 'lines', from: '2 items', to: '3 items (changed)' },
      { field: 'email', from: null, to: 'x@y' },
    ]);
  });

  test('nothing changed: no field', () => {
    expect(fieldChanges({ a: 1, b: [1] }, { a: 1, b: [1] })).toEqual([]);
  });
});
