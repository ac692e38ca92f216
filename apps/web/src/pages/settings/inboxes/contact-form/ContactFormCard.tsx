import { Alert, Badge, Button, Divider, Group, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconExternalLink } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../../../api/client';
import { keys, useInboxForm } from '../../../../api/queries';
import type { ContactForm } from '../../../../api/types';
import { CopyField } from '../../../../components/CopyField';
import { ErrorState, FormSkeleton } from '../../../../components/QueryStates';
import { SettingsCard } from '../../SettingsCard';
import { bodyOf, checkValues, placeServerErrors, valuesOf, type ContactFormValues } from './contactForm';
import { FormFieldsEditor } from './FormFieldsEditor';

const description = 'A page where customers write to this inbox from your website. Each message becomes a conversation, answered by email.';

/** An email inbox's contact form (admins only): what it asks, and where it is published. */
export function ContactFormCard({ inboxId }: { inboxId: string }) {
  const form = useInboxForm(inboxId);
  if (form.isPending) {
    return (
      <SettingsCard title="Contact form" description={description}>
        <FormSkeleton fields={4} />
      </SettingsCard>
    );
  }
  if (form.isError) {
    return (
      <SettingsCard title="Contact form" description={description}>
        <ErrorState title="Could not load the contact form" error={form.error} onRetry={() => void form.refetch()} />
      </SettingsCard>
    );
  }
  // The editor starts from what was loaded and keeps its own values from then on.
  return <ContactFormEditor inboxId={inboxId} saved={form.data} />;
}

/** Where the published form is: its page (opened in a new tab) and the tag that embeds it. */
function PublishedForm({ saved }: { saved: ContactForm }) {
  if (!saved.enabled || !saved.url) return null;
  return (
    <Stack gap="sm" aria-label="Published form" role="group">
      {/* On a phone the Open button goes under the address rather than squeeze it. */}
      <Group align="flex-end" gap="xs" wrap="wrap">
        <div style={{ flex: '1 1 20rem', minWidth: 0 }}>
          <CopyField label="Page address" value={saved.url} description="Link to it from your website or emails." />
        </div>
        <Button component="a" href={saved.url} target="_blank" rel="noopener noreferrer" variant="default" leftSection={<IconExternalLink size={16} />}>
          Open
        </Button>
      </Group>
      {saved.embed_snippet && (
        <CopyField label="Embed snippet" value={saved.embed_snippet} description="Paste it into a page of your website to show the form there." />
      )}
    </Stack>
  );
}

function ContactFormEditor({ inboxId, saved }: { inboxId: string; saved: ContactForm }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<ContactFormValues>({ initialValues: valuesOf(saved), validate: checkValues });
  // After a refusal, bring the first field to fix into view (and focus).
  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (field) field.focus();
      else formRef.current?.querySelector('[role="alert"]')?.scrollIntoView({ block: 'nearest' });
    });

  const submit = form.onSubmit(
    async (values) => {
      setFormError(null);
      try {
        const result = await api.put<ContactForm>(`/inboxes/${inboxId}/form`, bodyOf(values));
        queryClient.setQueryData(keys.inboxForm(inboxId), result);
        form.resetDirty();
        const published = result.enabled && !saved.enabled;
        notifications.show({ color: 'teal', message: published ? 'Contact form published' : result.enabled ? 'Contact form saved' : 'Contact form saved; it is not published' });
      } catch (err) {
        setFormError(placeServerErrors(err, form.setErrors));
        focusFirstError();
      }
    },
    () => {
      setFormError(null);
      focusFirstError();
    },
  );

  return (
    <SettingsCard title="Contact form" description={description}>
      <form ref={formRef} onSubmit={submit} noValidate aria-label="Contact form">
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
            <Switch
              label="Publish the form"
              description="While on, anyone with the page’s address can write to this inbox."
              {...form.getInputProps('enabled', { type: 'checkbox' })}
            />
            <Badge variant="light" color={saved.enabled ? 'teal' : 'gray'} style={{ flexShrink: 0 }}>
              {saved.enabled ? 'Published' : 'Not published'}
            </Badge>
          </Group>
          <PublishedForm saved={saved} />
          <Divider />
          <TextInput label="Title" description="The heading of the page." maxLength={120} {...form.getInputProps('title')} />
          <Textarea
            label="Introduction"
            description="A line or two under the title."
            autosize
            minRows={2}
            maxRows={5}
            maxLength={1000}
            {...form.getInputProps('intro')}
          />
          <FormFieldsEditor form={form} />
          <Textarea
            label="Thank-you message"
            description="What customers read after sending."
            autosize
            minRows={2}
            maxRows={4}
            maxLength={500}
            {...form.getInputProps('thanks')}
          />
          <Switch
            label="Send a confirmation email"
            description="Tells the customer by email, from this inbox’s address, that their message arrived, with a copy of it."
            {...form.getInputProps('confirmation', { type: 'checkbox' })}
          />
          <Group justify="flex-end" gap="sm">
            {form.isDirty() && (
              <Text size="xs" c="dimmed">
                Unsaved changes
              </Text>
            )}
            <Button type="submit" loading={form.submitting}>
              Save contact form
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsCard>
  );
}
