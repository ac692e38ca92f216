import { Alert, Button, Collapse, Divider, Fieldset, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../../../api/client';
import { keys } from '../../../../api/queries';
import type { Inbox } from '../../../../api/types';
import { applyServerErrors } from '../../../../lib/forms';
import { useSession } from '../../../../lib/session';
import { ConnectionTest } from './ConnectionTest';
import { checkValues, inboxBody, initialValues, serverBody, serverFieldMap, type EmailInboxValues } from './emailForm';
import { MailServerFields } from './MailServerFields';
import { InboxMembersSelect } from '../InboxFormParts';

interface Props {
  opened: boolean;
  /** null creates a new email inbox. */
  inbox: Inbox | null;
  onClose: () => void;
  onSaved?: (inbox: Inbox, created: boolean) => void;
}

/** Create an email inbox (inbox = null) or edit one: its address, IMAP and SMTP servers, and members. */
export function EmailInboxModal({ opened, inbox, onClose, onSaved }: Props) {
  const { user: me } = useSession();
  const queryClient = useQueryClient();
  const phone = useMediaQuery('(max-width: 36em)');
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // The form is long: after a refusal, bring the first field to fix into view (and focus).
  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (field) field.focus();
      else formRef.current?.querySelector('[role="alert"]')?.scrollIntoView({ block: 'nearest' });
    });
  const saved = { imap: Boolean(inbox?.imap?.password_set), smtp: Boolean(inbox?.smtp?.password_set) };
  const form = useForm<EmailInboxValues>({
    initialValues: initialValues(inbox, [me.id]),
    validate: (values) => checkValues(values, saved),
  });

  // The user name is usually the address itself: while it still mirrors the address, it follows it.
  const setAddress = (next: string) => {
    const { email, imap_user, smtp_user } = form.getValues();
    form.setFieldValue('email', next);
    if (!imap_user || imap_user === email) form.setFieldValue('imap_user', next);
    if (!smtp_user || smtp_user === email) form.setFieldValue('smtp_user', next);
  };

  const submit = form.onSubmit(
    async (values) => {
      setFormError(null);
      try {
        const body = inboxBody(values, !inbox);
        const result = inbox ? await api.patch<Inbox>(`/inboxes/${inbox.id}`, body) : await api.post<Inbox>('/inboxes', body);
        queryClient.setQueryData(keys.inbox(result.id), result);
        await queryClient.invalidateQueries({ queryKey: keys.inboxes });
        onClose();
        notifications.show({ color: 'teal', message: inbox ? 'Inbox saved' : `Inbox “${result.name}” created` });
        onSaved?.(result, !inbox);
      } catch (err) {
        setFormError(applyServerErrors(form, err, serverFieldMap) ?? 'Some settings need fixing; see the marked fields.');
        focusFirstError();
      }
    },
    () => {
      setFormError(null);
      focusFirstError();
    },
  );

  return (
    <Modal opened={opened} onClose={onClose} title={inbox ? 'Edit email inbox' : 'New email inbox'} size="lg" fullScreen={phone}>
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
            placeholder="Support email"
            maxLength={80}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <TextInput
            label="Support address"
            description="The address customers write to. Replies go out from it."
            placeholder="support@shop.example"
            type="email"
            autoComplete="off"
            spellCheck={false}
            {...form.getInputProps('email')}
            onChange={(e) => setAddress(e.currentTarget.value)}
          />
          <InboxMembersSelect inputProps={form.getInputProps('member_ids')} />
          <Fieldset legend="Incoming mail" variant="filled" radius="md">
            <Stack gap="sm">
              <Switch
                label="Fetch mail by IMAP"
                description="Rapport signs in to the mailbox and turns new mail into conversations. Leave it off if mail reaches Rapport another way."
                {...form.getInputProps('fetch', { type: 'checkbox' })}
              />
              <Collapse expanded={form.values.fetch}>
                <MailServerFields form={form} server="imap" passwordSaved={saved.imap} />
              </Collapse>
            </Stack>
          </Fieldset>
          <Fieldset legend="Outgoing mail (SMTP)" variant="filled" radius="md">
            <MailServerFields form={form} server="smtp" passwordSaved={saved.smtp} />
          </Fieldset>
          <ConnectionTest
            request={{
              ...(inbox ? { inbox_id: inbox.id } : {}),
              ...(form.values.fetch ? { imap: serverBody(form.values, 'imap') } : {}),
              smtp: serverBody(form.values, 'smtp'),
            }}
            validate={() => {
              const errors = checkValues(form.getValues(), saved, ['imap', 'smtp']);
              form.setErrors({ ...form.errors, ...errors });
              return Object.keys(errors).length === 0;
            }}
            explainError={(err) => applyServerErrors(form, err, serverFieldMap) ?? 'Some settings need fixing; see the marked fields.'}
          />
          <Divider />
          <Group justify="space-between" gap="sm">
            <Text size="xs" c="dimmed">
              Saved passwords are never shown again.
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
    </Modal>
  );
}
