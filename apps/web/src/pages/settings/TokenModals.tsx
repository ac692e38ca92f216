import { Alert, Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { CreatedApiToken, Role } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { applyServerErrors } from '../../lib/forms';
import { useSession } from '../../lib/session';
import { roleDescriptions, roleOptions } from './roles';

interface CreateProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (token: CreatedApiToken) => void;
}

export function CreateTokenModal({ opened, onClose, onCreated }: CreateProps) {
  const { role } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', role: 'agent' as Role },
    validate: { name: (v) => (v.trim() ? null : 'Name the token after what will use it') },
  });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const token = await api.post<CreatedApiToken>('/tokens', { name: values.name.trim(), role: values.role });
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
      form.reset();
      onCreated(token);
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Create API token">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" placeholder="CRM sync" required data-autofocus {...form.getInputProps('name')} />
          <Select
            label="Role"
            description={`${roleDescriptions[form.values.role]}. Pick the smallest role that works.`}
            data={roleOptions(role)}
            allowDeselect={false}
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function TokenCreatedModal({ token, onClose }: { token: CreatedApiToken | null; onClose: () => void }) {
  return (
    <Modal
      opened={token !== null}
      onClose={onClose}
      title="Your new API token"
      size="lg"
      closeOnClickOutside={false}
    >
      {token && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This is the only time the token is shown. Store it somewhere safe, such as a password manager or your
            deployment&apos;s secret store. If you lose it, revoke it and create a new one.
          </Alert>
          <CopyField label="API token" value={token.token} />
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;token&gt;</Code> with each API request.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
