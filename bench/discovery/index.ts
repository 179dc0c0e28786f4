/** Every schema of the discovery corpus; the held-out ones last. */
import { clinic } from './clinic.js';
import type { CorpusSchema } from './corpus.js';
import { crm } from './crm.js';
import { cup } from './cup.js';
import { events } from './events.js';
import { fleet } from './fleet.js';
import { gimnasio } from './gimnasio.js';
import { hotel } from './hotel.js';
import { insurance } from './insurance.js';
import { iot } from './iot.js';
import { kunta } from './kunta.js';
import { ledger } from './ledger.js';
import { legacy } from './legacy.js';
import { municipal } from './municipal.js';
import { nordic } from './nordic.js';
import { payroll } from './payroll.js';
import { recruiting } from './recruiting.js';
import { saas } from './saas.js';
import { school } from './school.js';
import { shop } from './shop.js';
import { telecom } from './telecom.js';

export const corpus: readonly CorpusSchema[] = [
  shop,
  crm,
  clinic,
  ledger,
  saas,
  nordic,
  recruiting,
  payroll,
  events,
  telecom,
  hotel,
  fleet,
  iot,
  insurance,
  school,
  municipal,
  cup,
  legacy,
  kunta,
  gimnasio,
];
