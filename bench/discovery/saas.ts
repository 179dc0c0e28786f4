/** A SaaS product: organisations, users, sessions, API keys, analytics events, tickets; camelCase and JSON columns. */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';

export const saas: CorpusSchema = {
  name: 'saas',
  description: 'SaaS app, camelCase with JSON columns',
  ddl: `
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,                              -- -
  name TEXT NOT NULL,                               -- -
  slug TEXT NOT NULL UNIQUE,                        -- -
  plan TEXT NOT NULL,                               -- -
  billingEmail TEXT,                                -- -
  createdAt TEXT NOT NULL                           -- -
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,                              -- user.unique_id
  orgId TEXT REFERENCES organizations(id) ON DELETE CASCADE, -- -
  email TEXT NOT NULL UNIQUE,                       -- user.contact.email
  emailVerified INTEGER NOT NULL DEFAULT 0,         -- -
  displayName TEXT,                                 -- user.name
  passwordHash TEXT,                                -- user.credentials.password
  mfaSecret TEXT,                                   -- user.credentials
  locale TEXT,                                      -- user.preferences
  timeZone TEXT,                                    -- user.location.imprecise|user.preferences
  lastLoginIp TEXT,                                 -- user.device.ip_address
  lastLoginAt TEXT,                                 -- -
  preferences TEXT,                                 -- user.account.settings|user.preferences
  createdAt TEXT NOT NULL                           -- -
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                              -- user.device.cookie_id|user.credentials
  userId TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, -- user.unique_id
  ipAddress TEXT,                                   -- user.device.ip_address
  userAgent TEXT,                                   -- user.device.browser
  expiresAt TEXT NOT NULL,                          -- -
  createdAt TEXT NOT NULL                           -- -
);
CREATE TABLE apiKeys (
  id TEXT PRIMARY KEY,                              -- -
  userId TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, -- user.unique_id
  name TEXT NOT NULL,                               -- -
  keyHash TEXT NOT NULL,                            -- user.credentials
  lastUsedAt TEXT,                                  -- -
  scopes TEXT NOT NULL                              -- -
);
CREATE TABLE projects (
  id TEXT PRIMARY KEY,                              -- -
  orgId TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, -- -
  name TEXT NOT NULL,                               -- -
  settings TEXT,                                    -- -
  createdBy TEXT REFERENCES users(id) ON DELETE SET NULL -- user.unique_id
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,                           -- -
  userId TEXT,                                      -- user.unique_id
  anonymousId TEXT NOT NULL,                        -- user.device.cookie_id
  eventName TEXT NOT NULL,                          -- -
  properties TEXT,                                  -- user.behavior.browsing_history|user.behavior
  pageUrl TEXT,                                     -- user.behavior.browsing_history
  referrer TEXT,                                    -- user.behavior.browsing_history
  ipCountry TEXT,                                   -- user.location.imprecise
  deviceId TEXT,                                    -- user.device.device_id
  occurredAt TEXT NOT NULL                          -- -
);
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,                              -- -
  orgId TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, -- -
  inviteeEmail TEXT NOT NULL,                       -- user.contact.email
  invitedBy TEXT REFERENCES users(id) ON DELETE SET NULL, -- user.unique_id
  acceptedAt TEXT                                   -- -
);
CREATE TABLE supportTickets (
  id INTEGER PRIMARY KEY,                           -- -
  userId TEXT REFERENCES users(id) ON DELETE SET NULL, -- user.unique_id
  subject TEXT NOT NULL,                            -- user.content.communication
  body TEXT NOT NULL,                               -- user.content.communication
  metadata TEXT,                                    -- user.device.browser
  priority TEXT NOT NULL,                           -- -
  status TEXT NOT NULL,                             -- -
  createdAt TEXT NOT NULL                           -- -
);
CREATE TABLE featureFlags (
  key TEXT PRIMARY KEY,                             -- -
  enabled INTEGER NOT NULL,                         -- -
  rolloutPercent INTEGER NOT NULL                   -- -
);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,                              -- -
  orgId TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, -- -
  url TEXT NOT NULL,                                -- -
  secret TEXT NOT NULL,                             -- -
  lastStatus INTEGER                                -- -
);
CREATE TABLE auditLog (
  id INTEGER PRIMARY KEY,                           -- -
  actorId TEXT REFERENCES users(id) ON DELETE SET NULL, -- user.unique_id
  action TEXT NOT NULL,                             -- -
  targetType TEXT,                                  -- -
  targetId TEXT,                                    -- -
  ip TEXT,                                          -- user.device.ip_address
  at TEXT NOT NULL,                                 -- -
  diff TEXT                                         -- -
);
`,
  rows(f) {
    const organizations = times(20, (i) => {
      const company = f.company();
      return {
        id: f.uuid(),
        name: company,
        slug: `${company.split(' ')[0]!.toLowerCase()}-${i}`,
        plan: f.pick(['free', 'team', 'enterprise']),
        billingEmail: `billing@${company.split(' ')[0]!.toLowerCase()}.example`,
        createdAt: f.recent(),
      };
    });
    const users = times(150, () => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: f.uuid(),
        orgId: f.pick(organizations).id,
        email: f.email(first, last),
        emailVerified: f.chance(0.9),
        displayName: f.chance(0.7) ? `${first} ${last}` : first,
        passwordHash: f.passwordHash(),
        mfaSecret: f.chance(0.4) ? f.alnum(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') : null,
        locale: f.pick(['en-GB', 'sv-SE', 'de-DE', 'da-DK']),
        timeZone: f.pick(['Europe/Stockholm', 'Europe/Berlin', 'Europe/London', 'America/New_York']),
        lastLoginIp: f.ip(),
        lastLoginAt: f.recent(),
        preferences: {
          theme: f.pick(['dark', 'light']),
          emailDigest: f.chance(0.5),
          language: f.pick(['sv', 'en']),
        },
        createdAt: f.recent(),
      };
    });
    const sessions = times(200, () => ({
      id: f.hex(40),
      userId: f.pick(users).id,
      ipAddress: f.ip(),
      userAgent: f.userAgent(),
      expiresAt: f.recent(),
      createdAt: f.recent(),
    }));
    const apiKeys = times(60, () => ({
      id: `key_${f.alnum(12)}`,
      userId: f.pick(users).id,
      name: f.pick(['CI deploy', 'Zapier', 'local dev', 'reporting']),
      keyHash: f.sha256(),
      lastUsedAt: f.recent(),
      scopes: ['projects:read', 'projects:write'],
    }));
    const projects = times(80, () => ({
      id: f.uuid(),
      orgId: f.pick(organizations).id,
      name: f.pick(['Website relaunch', 'Q3 roadmap', 'Onboarding', 'Data platform']),
      settings: { color: f.pick(['blue', 'green']), visibility: f.pick(['private', 'org']), archived: false },
      createdBy: f.pick(users).id,
    }));
    const events = times(600, (i) => {
      const page = f.pick([
        '/pricing',
        '/docs/getting-started',
        '/dashboard',
        '/settings/billing',
        '/blog/privacy',
      ]);
      return {
        id: i + 1,
        userId: f.chance(0.6) ? f.pick(users).id : null,
        anonymousId: f.uuid(),
        eventName: f.pick(['page_view', 'signup_clicked', 'project_created', 'invite_sent']),
        properties: {
          page,
          referrer: f.pick(['https://www.google.com/', 'https://news.ycombinator.com/', '']),
          plan: 'team',
        },
        pageUrl: `https://app.example.com${page}`,
        referrer: f.pick(['https://www.google.com/', 'https://duckduckgo.com/', null]),
        ipCountry: f.country(),
        deviceId: f.chance(0.5) ? f.uuid() : null,
        occurredAt: f.recent(),
      };
    });
    const invitations = times(70, () => ({
      id: f.uuid(),
      orgId: f.pick(organizations).id,
      inviteeEmail: f.email(),
      invitedBy: f.pick(users).id,
      acceptedAt: f.chance(0.6) ? f.recent() : null,
    }));
    const supportTickets = times(120, (i) => ({
      id: i + 1,
      userId: f.pick(users).id,
      subject: f.pick(['Cannot log in', 'Invoice question', 'Feature request: dark mode', 'Export fails']),
      body: f.sentence(),
      metadata: {
        browser: f.pick(['Firefox 128', 'Chrome 126', 'Safari 17']),
        os: f.pick(['macOS', 'Windows 11', 'Ubuntu']),
        appVersion: '4.2.1',
      },
      priority: f.pick(['low', 'normal', 'high']),
      status: f.pick(['open', 'pending', 'solved']),
      createdAt: f.recent(),
    }));
    const featureFlags = ['newEditor', 'aiSummary', 'betaExports', 'darkMode'].map((key) => ({
      key,
      enabled: f.chance(0.5),
      rolloutPercent: f.int(0, 100),
    }));
    const webhooks = times(25, () => ({
      id: f.uuid(),
      orgId: f.pick(organizations).id,
      url: `https://hooks.${f.pick(['acme', 'vega', 'orion'])}.example/steward/${f.hex(8)}`,
      secret: `whsec_${f.alnum(32)}`,
      lastStatus: f.pick([200, 200, 204, 500]),
    }));
    const auditLog = times(300, (i) => ({
      id: i + 1,
      actorId: f.pick(users).id,
      action: f.pick(['user.updated', 'project.deleted', 'member.invited', 'apikey.created']),
      targetType: f.pick(['user', 'project', 'apiKey']),
      targetId: f.uuid(),
      ip: f.ip(),
      at: f.recent(),
      diff: { changed: [f.pick(['displayName', 'locale', 'name', 'visibility'])] },
    }));
    return {
      organizations,
      users,
      sessions,
      apiKeys,
      projects,
      events,
      invitations,
      supportTickets,
      featureFlags,
      webhooks,
      auditLog,
    };
  },
};
