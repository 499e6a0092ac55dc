import { fireEvent, render, screen } from '@testing-library/react';
import { ExperimentList } from '../modules/experiments/components/ExperimentList';
import { ConfirmDialog } from './Modal';

describe('ConfirmDialog', () => {
  it('asks with Cancel focused; Escape and the backdrop cancel, a click inside does not, the confirm button confirms', () => {
    const onCancel = jest.fn();
    const onConfirm = jest.fn();
    render(<ConfirmDialog title="Delete “x”?" confirmLabel="Delete" onCancel={onCancel} onConfirm={onConfirm} testId="thing-delete"><p>gone for good</p></ConfirmDialog>);
    const dialog = screen.getByTestId('thing-delete-dialog');
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(screen.getByRole('alertdialog', { name: 'Delete “x”?' })).toBe(dialog);
    expect(document.activeElement).toBe(screen.getByTestId('thing-delete-cancel'));
    fireEvent.click(screen.getByText('gone for good'));
    expect(onCancel).not.toHaveBeenCalled();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    fireEvent.click(dialog.parentElement!);
    expect(onCancel).toHaveBeenCalledTimes(2);
    fireEvent.click(screen.getByTestId('thing-delete-confirm'));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});

describe('ExperimentList delete', () => {
  it('asks in the console, not with the browser’s confirm(), and deletes only when confirmed', () => {
    const confirm = jest.spyOn(window, 'confirm');
    const onDelete = jest.fn();
    const experiments = [{ id: 'e1', name: 'Blobs', version: 3, updatedAt: new Date().toISOString(), nodeCount: 4 }];
    render(<ExperimentList experiments={experiments} onOpen={jest.fn()} onCreate={jest.fn()} onRename={jest.fn()} onDuplicate={jest.fn()} onDelete={onDelete} onImport={jest.fn()} />);
    fireEvent.click(screen.getByTestId('experiment-delete-e1'));
    expect(screen.getByTestId('experiment-delete-dialog').textContent).toContain('Delete experiment “Blobs”?Its 3 versions, runs, run logs and outputs are removed.');
    fireEvent.click(screen.getByTestId('experiment-delete-cancel'));
    expect(screen.queryByTestId('experiment-delete-dialog')).toBeNull();
    expect(onDelete).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('experiment-delete-e1'));
    fireEvent.click(screen.getByTestId('experiment-delete-confirm'));
    expect(onDelete).toHaveBeenCalledWith('e1');
    expect(screen.queryByTestId('experiment-delete-dialog')).toBeNull();
    expect(confirm).not.toHaveBeenCalled();
    confirm.mockRestore();
  });
});
