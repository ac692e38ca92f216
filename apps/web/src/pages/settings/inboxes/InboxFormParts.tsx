// What every inbox form shares: who works in the inbox, and the Cancel / Save buttons.
import { Button, Group, MultiSelect, type MultiSelectProps } from '@mantine/core';
import { useUsers } from '../../../api/queries';

/** The members picker; `inputProps` is the form's `getInputProps('member_ids')`. */
export function InboxMembersSelect({ inputProps }: { inputProps: Pick<MultiSelectProps, 'value' | 'onChange' | 'error' | 'onFocus' | 'onBlur'> & { value?: string[] } }) {
  const users = useUsers();
  return (
    <MultiSelect
      label="Members"
      description="Teammates who work in this inbox. Admins can always open every inbox."
      placeholder={inputProps.value?.length ? undefined : 'Pick teammates'}
      data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
      searchable
      clearable
      nothingFoundMessage={users.isPending ? 'Loading…' : 'No matching teammates'}
      {...inputProps}
      error={users.isError ? 'Could not load teammates' : inputProps.error}
    />
  );
}

export function InboxFormActions({ editing, submitting, onClose }: { editing: boolean; submitting: boolean; onClose: () => void }) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" loading={submitting}>
        {editing ? 'Save inbox' : 'Create inbox'}
      </Button>
    </Group>
  );
}
