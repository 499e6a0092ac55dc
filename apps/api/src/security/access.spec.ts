import { withoutTokenQuery } from './access';

describe('withoutTokenQuery: the guard keeps the access token from the handlers', () => {
  it('drops access_token and keeps every other parameter in order', () => {
    expect(withoutTokenQuery('/api/experiments?access_token=s3cret')).toBe('/api/experiments');
    expect(withoutTokenQuery('/api/experiments?datasetId=a&access_token=s3cret&x=%20y')).toBe('/api/experiments?datasetId=a&x=%20y');
    expect(withoutTokenQuery('/api/runs/1/events?access%5Ftoken=s3cret')).toBe('/api/runs/1/events');
  });

  it('leaves URLs without the token, and malformed escapes, alone', () => {
    expect(withoutTokenQuery('/api/datasets')).toBe('/api/datasets');
    expect(withoutTokenQuery('/api/datasets/x/download?format=csv')).toBe('/api/datasets/x/download?format=csv');
    expect(withoutTokenQuery('/api/x?%E0%A4%A=1')).toBe('/api/x?%E0%A4%A=1');
  });
});
