import { formatNumber, formatNumberList, formatValue } from './format';

describe('formatNumber', () => {
  it('shows four significant digits and drops trailing zeros', () => {
    expect(formatNumber(0.123456789)).toBe('0.1235');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(-3.14159265)).toBe('-3.142');
    expect(formatNumber(0.013)).toBe('0.013');
  });
  it('separates thousands and keeps integers whole', () => {
    expect(formatNumber(1000000)).toBe('1,000,000');
    expect(formatNumber(12345.678)).toBe('12,346');
  });
  it('uses scientific notation only at the extremes', () => {
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber(3.2e12 + 0.5)).toBe('3.2e12');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('formatValue', () => {
  it('formats booleans, short numeric arrays and nested objects for a metrics table', () => {
    expect(formatValue(true)).toBe('yes');
    expect(formatValue([0.33333333, 0.66666666])).toBe('0.3333, 0.6667');
    expect(formatValue(Array.from({ length: 40 }, (_, i) => i))).toBe('40 values');
    expect(formatValue({ memoryMb: 1024.4, workers: 2 })).toBe('memoryMb: 1,024 · workers: 2');
  });
});

describe('formatNumberList', () => {
  it('shortens every number of a dense vector or probability list', () => {
    expect(formatNumberList('0.000032720059702514 4.774273377417777e-13 0.9999672799')).toBe('3.272e-5 4.774e-13 1');
    expect(formatNumberList('0.5 1.5')).toBe('0.5 1.5');
  });
  it('leaves text that is not a list of numbers alone', () => {
    expect(formatNumberList('row7')).toBeUndefined();
    expect(formatNumberList('$3$0:1.0 2:3.0')).toBeUndefined();
    expect(formatNumberList('42')).toBeUndefined();
  });
});
