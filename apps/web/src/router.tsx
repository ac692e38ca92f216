import { createBrowserRouter, Navigate } from 'react-router-dom';
import { AppLayout } from './components/AppLayout';
import { RedirectIfSignedIn, RequireAuth } from './components/RequireAuth';
import { RouteError } from './components/RouteError';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { InvitePage } from './pages/auth/InvitePage';
import { LoginPage } from './pages/auth/LoginPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { ReportsPage } from './pages/ComingSoonPage';
import { ArticleEditorPage } from './pages/kb/ArticleEditorPage';
import { KnowledgeBasePage } from './pages/kb/KnowledgeBasePage';
import { ContactsPage } from './pages/ContactsPage';
import { InboxPage } from './pages/inbox/InboxPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SearchPage } from './pages/search/SearchPage';
import { AuditLogSettings } from './pages/settings/AuditLogSettings';
import { InboxDetailSettings } from './pages/settings/inboxes/InboxDetailSettings';
import { InboxesSettings } from './pages/settings/inboxes/InboxesSettings';
import { InvitationsSettings } from './pages/settings/InvitationsSettings';
import { ProfileSettings } from './pages/settings/ProfileSettings';
import { SettingsLayout } from './pages/settings/SettingsLayout';
import { TeamsSettings } from './pages/settings/TeamsSettings';
import { TokensSettings } from './pages/settings/TokensSettings';
import { UsersSettings } from './pages/settings/UsersSettings';
import { WebhookDetailSettings } from './pages/settings/webhooks/WebhookDetailSettings';
import { WebhooksSettings } from './pages/settings/webhooks/WebhooksSettings';
import { WorkspaceSettings } from './pages/settings/WorkspaceSettings';
import { AutomationSettings } from './pages/settings/automation/AutomationSettings';
import { CannedResponsesSettings } from './pages/settings/automation/CannedResponsesSettings';
import { MacrosSettings } from './pages/settings/automation/MacrosSettings';
import { RuleDetailSettings } from './pages/settings/automation/RuleDetailSettings';
import { BusinessHoursSettings } from './pages/settings/business-hours/BusinessHoursSettings';
import { SlaPoliciesSettings } from './pages/settings/sla/SlaPoliciesSettings';
import { HelpCenterSettings } from './pages/settings/help-center/HelpCenterSettings';
import { AiAssistSettings } from './pages/settings/ai/AiAssistSettings';

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <RedirectIfSignedIn><LoginPage /></RedirectIfSignedIn> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/invite/:token', element: <InvitePage /> },
      {
        path: '/',
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <Navigate to="/inbox" replace /> },
          { path: 'inbox', element: <InboxPage /> },
          { path: 'inbox/:conversationId', element: <InboxPage /> },
          { path: 'contacts', element: <ContactsPage /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'knowledge-base', element: <KnowledgeBasePage /> },
          { path: 'knowledge-base/:articleId', element: <ArticleEditorPage /> },
          { path: 'reports', element: <ReportsPage /> },
          {
            path: 'settings',
            element: <SettingsLayout />,
            children: [
              { index: true, element: <Navigate to="profile" replace /> },
              { path: 'profile', element: <ProfileSettings /> },
              { path: 'workspace', element: <WorkspaceSettings /> },
              { path: 'users', element: <UsersSettings /> },
              { path: 'teams', element: <TeamsSettings /> },
              { path: 'inboxes', element: <InboxesSettings /> },
              { path: 'inboxes/:inboxId', element: <InboxDetailSettings /> },
              { path: 'invitations', element: <InvitationsSettings /> },
              { path: 'tokens', element: <TokensSettings /> },
              { path: 'webhooks', element: <WebhooksSettings /> },
              { path: 'webhooks/:webhookId', element: <WebhookDetailSettings /> },
              { path: 'audit-log', element: <AuditLogSettings /> },
              { path: 'automation', element: <AutomationSettings /> },
              { path: 'automation/:ruleId', element: <RuleDetailSettings /> },
              { path: 'canned-responses', element: <CannedResponsesSettings /> },
              { path: 'macros', element: <MacrosSettings /> },
              { path: 'business-hours', element: <BusinessHoursSettings /> },
              { path: 'sla-policies', element: <SlaPoliciesSettings /> },
              { path: 'help-center', element: <HelpCenterSettings /> },
              { path: 'ai-assist', element: <AiAssistSettings /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
