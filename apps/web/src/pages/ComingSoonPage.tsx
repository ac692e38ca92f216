import { Badge, Card, EmptyState, List, Paper, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconChartBar, IconCheck } from '@tabler/icons-react';
import { Page } from '../components/Page';
import { PageHeader } from '../components/PageHeader';

interface ComingSoonProps {
  title: string;
  description: string;
  icon: React.ReactNode;
  headline: string;
  summary: string;
  features: string[];
}

function ComingSoon({ title, description, icon, headline, summary, features }: ComingSoonProps) {
  return (
    <Page>
      <Stack gap="lg">
      <PageHeader title={title} description={description} />
      <Paper withBorder p={{ base: 'lg', sm: 'xl' }}>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <EmptyState
            align="left"
            variant="light"
            size="lg"
            icon={icon}
            title={
              <Stack gap={6} align="flex-start">
                <Badge variant="light">Coming soon</Badge>
                {headline}
              </Stack>
            }
            description={summary}
          />
          <Card withBorder bg="var(--mantine-color-default-hover)" shadow="none">
            <Text fw={600} size="sm" mb="sm">
              What is planned
            </Text>
            <List
              spacing="xs"
              size="sm"
              icon={
                <ThemeIcon size={20} radius="xl" variant="light">
                  <IconCheck size={12} />
                </ThemeIcon>
              }
            >
              {features.map((f) => (
                <List.Item key={f}>{f}</List.Item>
              ))}
            </List>
          </Card>
        </SimpleGrid>
      </Paper>
      </Stack>
    </Page>
  );
}

export function ReportsPage() {
  return (
    <ComingSoon
      title="Reports"
      description="How your team and customers are doing."
      icon={<IconChartBar size={26} />}
      headline="Reporting is on the way"
      summary="Once conversations flow through Rapport, this is where you will track volume, response times and customer satisfaction."
      features={[
        'Conversation volume by channel and hour',
        'First response and resolution times',
        'Per-agent and per-team workload',
        'CSAT ratings and export to CSV',
      ]}
    />
  );
}
