import { Anchor, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorMessage } from '../../../api/client';
import { automationKeys, useRule } from '../../../api/automation';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, FormSkeleton } from '../../../components/QueryStates';
import { AdminOnly } from '../SettingsLayout';
import { RuleForm } from './RuleForm';
import { RunLog } from './RunLog';

/** One rule: its editor and its run log; or a new rule. */
export function RuleDetailSettings() {
  const { ruleId } = useParams();
  const isNew = ruleId === 'new';
  const rule = useRule(isNew ? undefined : ruleId);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const back = (
    <Anchor component={Link} to="/settings/automation" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} /> All rules
      </Group>
    </Anchor>
  );
  const remove = async () => {
    try {
      await api.del(`/automation-rules/${ruleId}`);
      await queryClient.invalidateQueries({ queryKey: automationKeys.rules, exact: true });
      notifications.show({ color: 'teal', message: 'Rule deleted' });
      void navigate('/settings/automation');
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
  };
  return (
    <AdminOnly>
      <Stack gap="lg">
        {back}
        <PageHeader
          title={isNew ? 'New rule' : (rule.data?.name ?? 'Rule')}
          actions={
            !isNew &&
            rule.data && (
              <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )
          }
        />
        {isNew ? (
          <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
            <RuleForm rule={null} onSaved={(saved) => void navigate(`/settings/automation/${saved.id}`, { replace: true })} onCancel={() => void navigate('/settings/automation')} />
          </Paper>
        ) : rule.isPending ? (
          <FormSkeleton fields={4} />
        ) : rule.isError ? (
          <ErrorState title="Could not load the rule" error={rule.error} onRetry={() => void rule.refetch()} />
        ) : (
          <>
            <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
              <RuleForm key={rule.data.updated_at} rule={rule.data} />
            </Paper>
            <Stack gap="xs">
              <Title order={2} size="h4">
                Run log
              </Title>
              <RunLog ruleId={rule.data.id} />
            </Stack>
          </>
        )}
      </Stack>
      <ConfirmModal opened={deleting} onClose={() => setDeleting(false)} onConfirm={remove} title="Delete this rule?" confirmLabel="Delete rule">
        The rule stops at once, and its run log goes with it.
      </ConfirmModal>
    </AdminOnly>
  );
}
