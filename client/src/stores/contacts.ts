import type { ContactsResponse } from '@lagesbild/shared';
import { create } from 'zustand';

type ContactsStore = {
  /** The last answer of GET /api/contacts, and whose it was. */
  contacts: ContactsResponse | null;
  userId: string | null;
  setContacts: (userId: string, contacts: ContactsResponse) => void;
};

/** Phone numbers the hub gave the signed-in person. Setters only set; hooks/use-contacts fetches. */
export const useContactsStore = create<ContactsStore>()((set) => ({
  contacts: null,
  userId: null,
  setContacts: (userId, contacts) => set({ userId, contacts }),
}));
