import { api, authHeaders, withToken } from './client';

/** what the client reads of a fetch Response (jsdom has no Response) */
function response(status: number, body: unknown): Response {
  return { status, ok: status >= 200 && status < 300, text: async () => JSON.stringify(body) } as Response;
}

describe('API client and MIXFLOW_API_TOKEN', () => {
  const fetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();
  beforeEach(() => {
    sessionStorage.clear();
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  it('on a 401 asks for the token once, keeps it for the session and sends it as a Bearer header', async () => {
    const prompt = jest.spyOn(window, 'prompt').mockReturnValue(' s3cret ');
    fetchMock.mockImplementation(async (_url, init) =>
      (init.headers as Record<string, string>).Authorization === 'Bearer s3cret' ? response(200, []) : response(401, { message: 'token' }),
    );
    // two requests meet the 401 together: one prompt
    expect(await Promise.all([api.experiments(), api.datasets()])).toEqual([[], []]);
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(sessionStorage.getItem('mixflow.apiToken')).toBe('s3cret');
    await api.experiments();
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(withToken('/api/runs/r1/events')).toBe('/api/runs/r1/events?access_token=s3cret');
    expect(api.modelExportUrl('m1')).toBe('/api/models/m1/export?access_token=s3cret');
    expect(authHeaders()).toEqual({ Authorization: 'Bearer s3cret' });
    prompt.mockRestore();
  });

  it('without a token, URLs stay as they are and a refused prompt leaves the 401 error', async () => {
    expect(api.runEventsUrl('r1')).toBe('/api/runs/r1/events');
    const prompt = jest.spyOn(window, 'prompt').mockReturnValue(null);
    fetchMock.mockResolvedValue(response(401, { statusCode: 401, message: 'this server needs an access token' }));
    await expect(api.experiments()).rejects.toMatchObject({ status: 401, message: 'this server needs an access token' });
    expect(sessionStorage.getItem('mixflow.apiToken')).toBeNull();
    prompt.mockRestore();
  });
});
