import { uploadDataset } from './upload';

/** Just enough of XMLHttpRequest to drive the upload by hand. */
class FakeXhr {
  upload: { onprogress?: (e: { lengthComputable: boolean; loaded: number; total: number }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  status = 0;
  responseText = '';
  responseType = '';
  opened?: [string, string];
  sent?: FormData;
  open(method: string, url: string) { this.opened = [method, url]; }
  send(body: FormData) { this.sent = body; }
}

describe('uploadDataset', () => {
  const file = new File(['a,b\n1,2\n'], 'points.csv', { type: 'text/csv' });

  it('posts the file and name as multipart, reports progress and resolves with the dataset', async () => {
    const xhr = new FakeXhr();
    const progress: number[] = [];
    const done = uploadDataset(file, 'My points', (f) => progress.push(f), xhr as unknown as XMLHttpRequest);
    expect(xhr.opened).toEqual(['POST', '/api/datasets']);
    expect((xhr.sent!.get('file') as File).name).toBe('points.csv');
    expect(xhr.sent!.get('name')).toBe('My points');
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 25, total: 100 });
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 100, total: 100 });
    xhr.status = 201;
    xhr.responseText = JSON.stringify({ id: 'd1', name: 'My points' });
    xhr.onload!();
    await expect(done).resolves.toMatchObject({ id: 'd1' });
    expect(progress).toEqual([0.25, 1, 1]);
  });

  it('rejects with the server message (which names the row)', async () => {
    const xhr = new FakeXhr();
    const done = uploadDataset(file, undefined, () => undefined, xhr as unknown as XMLHttpRequest);
    expect(xhr.sent!.get('name')).toBeNull();
    xhr.status = 400;
    xhr.responseText = JSON.stringify({ statusCode: 400, message: 'row 3: expected 2 values, found 3' });
    xhr.onload!();
    await expect(done).rejects.toThrow('row 3: expected 2 values, found 3');
  });
});
