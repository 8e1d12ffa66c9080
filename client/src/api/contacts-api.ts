import { ContactsResponse } from '@lagesbild/shared';
import { apiRequest } from './http';

/** GET /api/contacts: the phone numbers this person may see (requesters, summoned duty officers). */
export const getContacts = () => apiRequest('GET', '/api/contacts', ContactsResponse);
