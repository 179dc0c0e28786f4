import { createContext, useContext } from 'react';
import type { Operator, Role } from './api';

export interface Session {
  operator: Operator;
  /** Call when the server says the session is gone (401): returns to the sign-in page. */
  expire: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside a signed-in layout');
  return session;
}

export const roleLabels: Record<Role, string> = {
  administrator: 'Administrator',
  privacy_officer: 'Privacy officer',
  support_agent: 'Support agent',
  marketing_operator: 'Marketing operator',
  auditor: 'Auditor',
};
