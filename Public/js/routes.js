// @ts-check
/**
 * Every address of the web client, the page it shows and who may open it: the one table. `main.js` mounts it; the
 * server answers the same addresses with `index.html` (`WebClient.pages`, tested against this file), and
 * `scripts/check-layers` treats the modules imported here as pages, which no other feature imports.
 */
import { forgotPasswordView, resetPasswordView, verifyEmailView } from './features/accounts/email-links.js';
import { homeView, welcomeView } from './features/accounts/home.js';
import { loginView } from './features/accounts/login.js';
import { settingsView } from './features/accounts/settings.js';
import { setupView } from './features/accounts/setup.js';
import { signupView } from './features/accounts/signup.js';
import { libraryView, profileView } from './features/engagements/coach-tools.js';
import { engagementsView } from './features/engagements/dashboard.js';
import { inquireView } from './features/engagements/inquire.js';
import { workspaceView } from './features/engagements/workspace.js';
import { conversationsView } from './features/messaging/conversations.js';
import { recoveryKeyView, unlockView } from './features/messaging/keys-pages.js';
import { threadView } from './features/messaging/thread.js';
import { availabilityView } from './features/scheduling/availability.js';
import { calendarView } from './features/scheduling/calendar.js';
import { guardianConsentView } from './features/programs/guardian-consent.js';
import { joinView } from './features/programs/join.js';
import { dataProtectionView } from './features/programs/data-protection.js';
import { programView } from './features/programs/program-page.js';
import { registrationView } from './features/programs/registration-page.js';
import { programsView } from './features/programs/staff.js';
import { staffInvitationView } from './features/programs/staff-invitation.js';
import { callView } from './features/video/call-page.js';
import { techCheckView } from './features/video/tech-check-page.js';
import { engagementExportView, exportView } from './features/privacy/export-page.js';
import { privacyNoticeView } from './features/privacy/notice.js';
import { deleteAccountView, keepAccountView } from './features/privacy/erasure.js';

/**
 * `guest`: only signed out (signed in, it leads home); `private`: only signed in (signed out, it leads to sign-in
 * and back); `public`: anyone.
 * @typedef {{ path: string, view: import('./core/router.js').View, access: 'guest'|'private'|'public' }} Page
 */

/** @type {Page[]} */
export const pages = [
  { path: '/', view: welcomeView, access: 'guest' },
  { path: '/login', view: loginView, access: 'guest' },
  { path: '/signup', view: signupView, access: 'guest' },
  { path: '/verify-email', view: verifyEmailView, access: 'public' },
  { path: '/forgot-password', view: forgotPasswordView, access: 'public' },
  { path: '/reset-password', view: resetPasswordView, access: 'public' },
  { path: '/setup', view: setupView, access: 'public' },
  { path: '/home', view: homeView, access: 'private' },
  { path: '/settings', view: settingsView, access: 'private' },
  { path: '/export', view: exportView, access: 'private' },
  { path: '/delete-account', view: deleteAccountView, access: 'private' },
  { path: '/keep-account', view: keepAccountView, access: 'public' },
  { path: '/unlock', view: unlockView, access: 'private' },
  { path: '/recovery-key', view: recoveryKeyView, access: 'private' },
  { path: '/conversations', view: conversationsView, access: 'private' },
  { path: '/conversations/:conversationID', view: threadView, access: 'private' },
  { path: '/engagements', view: engagementsView, access: 'private' },
  { path: '/engagements/:engagementID', view: workspaceView, access: 'private' },
  { path: '/engagements/:engagementID/export', view: engagementExportView, access: 'private' },
  { path: '/inquire/:profileID', view: inquireView, access: 'private' },
  { path: '/profile', view: profileView, access: 'private' },
  { path: '/library', view: libraryView, access: 'private' },
  { path: '/calendar', view: calendarView, access: 'private' },
  { path: '/availability', view: availabilityView, access: 'private' },
  { path: '/call/:engagementID', view: callView, access: 'private' },
  { path: '/tech-check', view: techCheckView, access: 'private' },
  { path: '/programs', view: programsView, access: 'private' },
  { path: '/programs/:programID', view: programView, access: 'private' },
  { path: '/programs/:programID/registration', view: registrationView, access: 'private' },
  { path: '/institutions/:institutionID/data-protection', view: dataProtectionView, access: 'private' },
  { path: '/join/:code', view: joinView, access: 'public' },
  { path: '/guardian-consent', view: guardianConsentView, access: 'public' },
  { path: '/privacy', view: privacyNoticeView, access: 'public' },
  { path: '/staff-invitation', view: staffInvitationView, access: 'private' },
];
