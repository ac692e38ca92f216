import { Alert, Button, Divider, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSparkles } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../../../api/client';
import { keys, useChannel } from '../../../../api/queries';
import type { ChannelInfo, Inbox } from '../../../../api/types';
import { ErrorState, FormSkeleton } from '../../../../components/QueryStates';
import { applyServerErrors } from '../../../../lib/forms';
import { useSession } from '../../../../lib/session';
import { channelLabel } from '../../../inbox/inbox';
import { ChannelTest } from './ChannelTest';
import { checkValues, flatValues, inboxBody, initialValues, secretStored, settingsBody, typedFields, type ChannelInboxValues } from './channelForm';
import { ProviderField } from './ProviderField';
import { InboxMembersSelect } from '../InboxFormParts';

interface Props {
  opened: boolean;
  /** null creates a new inbox of `channel`. */
  inbox: Inbox | null;
  channel: string;
  onClose: () => void;
  onSaved?: (inbox: Inbox, created: boolean) => void;
}

/** Create or edit a messaging inbox (Telegram, SMS, WhatsApp…) through its provider's guided form. The parent remounts it on each open. */
export function MessagingInboxModal({ opened, inbox, channel, onClose, onSaved }: Props) {
  const phone = useMediaQuery('(max-width: 36em)');
  const { info, query } = useChannel(channel);
  const name = info?.label ?? channelLabel(channel);
  return (
    <Modal opened={opened} onClose={onClose} title={inbox ? `Edit ${name} inbox` : `New ${name} inbox`} size="lg" fullScreen={phone}>
      {query.isPending && <FormSkeleton fields={4} />}
      {query.isError && <ErrorState title="Could not load the setup form" error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && !info && (
        <Alert color="yellow" variant="light" role="alert">
          This server cannot connect {name} inboxes (it has no {name} adapter). Update Rapport or pick another channel.
        </Alert>
      )}
      {info && <MessagingInboxForm info={info} inbox={inbox} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function MessagingInboxForm({ info, inbox, onClose, onSaved }: { info: ChannelInfo; inbox: Inbox | null; onClose: () => void; onSaved?: (inbox: Inbox, created: boolean) => void }) {
  const { user: me } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<ChannelInboxValues>({
    initialValues: initialValues(info, inbox, [me.id]),
    validate: (values) => checkValues(info, inbox, values),
  });
  // Server field errors name `settings.<field>`: matched against the inputs' paths.
  const flatForm = { getValues: () => flatValues(form.getValues()), setErrors: form.setErrors };
  const explain = (err: unknown) => applyServerErrors(flatForm, err) ?? 'Some settings need fixing; see the marked fields.';
  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (field) field.focus();
      else formRef.current?.querySelector('[role="alert"]')?.scrollIntoView({ block: 'nearest' });
    });
  const generated = info.fields.filter((f) => f.generated);

  const submit = form.onSubmit(
    async (values) => {
      setFormError(null);
      try {
        const body = inboxBody(info, values, !inbox);
        const saved = inbox ? await api.patch<Inbox>(`/inboxes/${inbox.id}`, body) : await api.post<Inbox>('/inboxes', body);
        queryClient.setQueryData(keys.inbox(saved.id), saved);
        await queryClient.invalidateQueries({ queryKey: keys.inboxes, exact: true });
        onClose();
        notifications.show({ color: 'teal', message: inbox ? 'Inbox saved' : `Inbox “${saved.name}” created` });
        onSaved?.(saved, !inbox);
      } catch (err) {
        setFormError(applyServerErrors(flatForm, err));
        focusFirstError();
      }
    },
    () => {
      setFormError(null);
      focusFirstError();
    },
  );

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Stack gap="md">
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <TextInput
          label="Name"
          description="Teammates see it in the inbox; customers do not."
          placeholder={`${channelLabel(info.channel)} support`}
          withAsterisk
          maxLength={80}
          data-autofocus
          {...form.getInputProps('name')}
        />
        {typedFields(info).map((field) => (
          <ProviderField key={field.name} field={field} form={form} stored={secretStored(inbox, field)} />
        ))}
        {generated.length > 0 && (
          <Alert variant="light" color="gray" icon={<IconSparkles size={18} />} title={inbox ? 'Made by Rapport' : 'Made by Rapport when you save'}>
            <List size="sm" spacing={4}>
              {generated.map((f) => (
                <List.Item key={f.name}>
                  <Text span size="sm" fw={600}>
                    {f.label}
                  </Text>
                  : {f.help}
                  {!f.secret && !inbox ? ' It is shown on the inbox page after saving.' : ''}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <InboxMembersSelect inputProps={form.getInputProps('member_ids')} />
        <ChannelTest
          provider={info.label}
          request={{ channel: info.channel, settings: settingsBody(info, form.values, true), ...(inbox ? { inbox_id: inbox.id } : {}) }}
          validate={() => {
            const errors = checkValues(info, inbox, form.getValues(), true);
            form.setErrors({ ...form.errors, ...errors });
            if (Object.keys(errors).length) focusFirstError();
            return Object.keys(errors).length === 0;
          }}
          explainError={explain}
        />
        <Divider />
        <Group justify="space-between" gap="sm">
          <Text size="xs" c="dimmed">
            Saved secrets are never shown again.
          </Text>
          <Group gap="sm" ml="auto">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {inbox ? 'Save inbox' : 'Create inbox'}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
