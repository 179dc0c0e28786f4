/**
 * A held-out schema written for the sixth round (issue 11, the learned scorer) and never tuned on:
 * a Spanish gym chain's membership system in Spanish camelCase (`socios`, `nombreCompleto`,
 * `primerApellido`, `numDocumento`, `fechaNac`, `telMovil`, `correoE`, `domicilio`, `cuentaDomiciliacion`,
 * `lesionesPrevias`). Members with their ID document, direct-debit account and health
 * questionnaire, access-gate entries by card, body measurements, class bookings, receipts, the
 * app's logins, and trainers; centres, plans, classes and machines are the hard negatives (a
 * centre's phone, email and coordinates, a plan's monthly fee, a machine's serial number). Labelled
 * by hand before the classifier first ran on it. Do not tune on it.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import { ibanOf, letters } from './fake.js';

export const gimnasio: CorpusSchema = {
  name: 'gimnasio',
  description: 'Spanish gym chain membership, Spanish camelCase (held out, never tuned on)',
  heldOut: true,
  ddl: `
CREATE TABLE centros (
  idCentro INTEGER PRIMARY KEY,                    -- -
  nombreCentro TEXT NOT NULL,                      -- -
  direccionCentro TEXT NOT NULL,                   -- -
  codPostal TEXT NOT NULL,                         -- -
  telefonoRecepcion TEXT,                          -- -
  emailCentro TEXT,                                -- -
  latitud REAL,                                    -- -
  longitud REAL,                                   -- -
  aforoMax INTEGER NOT NULL                        -- -
);
CREATE TABLE planes (
  idPlan INTEGER PRIMARY KEY,                      -- -
  nombrePlan TEXT NOT NULL,                        -- -
  cuotaMensual NUMERIC NOT NULL,                   -- -
  matricula NUMERIC NOT NULL,                      -- -
  permanenciaMeses INTEGER NOT NULL                -- -
);
CREATE TABLE socios (
  idSocio INTEGER PRIMARY KEY,                     -- user.unique_id
  numSocio TEXT NOT NULL UNIQUE,                   -- user.unique_id
  tipoDocumento TEXT NOT NULL,                     -- -
  numDocumento TEXT NOT NULL,                      -- user.unique_id
  nombre TEXT NOT NULL,                            -- user.name
  primerApellido TEXT NOT NULL,                    -- user.name
  segundoApellido TEXT,                            -- user.name
  fechaNac TEXT,                                   -- user.demographic.age
  genero TEXT,                                     -- user.demographic
  telMovil TEXT,                                   -- user.contact.phone_number
  correoE TEXT,                                    -- user.contact.email
  domicilio TEXT,                                  -- user.contact.address
  codPostal TEXT,                                  -- user.contact.address
  localidad TEXT,                                  -- user.contact.address
  cuentaDomiciliacion TEXT,                        -- user.financial
  titularCuenta TEXT,                              -- user.name|user.financial
  idPlan INTEGER REFERENCES planes(idPlan),        -- -
  idCentro INTEGER REFERENCES centros(idCentro),   -- -
  fotoUrl TEXT,                                    -- user.biometric|user.content
  aceptaPublicidad INTEGER NOT NULL DEFAULT 0,     -- user.consent
  aceptaImagen INTEGER NOT NULL DEFAULT 0,         -- user.consent
  fechaAlta TEXT NOT NULL,                         -- -
  estado TEXT NOT NULL                             -- -
);
CREATE TABLE cuestionarioSalud (
  idCuestionario INTEGER PRIMARY KEY,              -- -
  idSocio INTEGER NOT NULL REFERENCES socios(idSocio), -- user.unique_id
  lesionesPrevias TEXT,                            -- user.health
  medicacion TEXT,                                 -- user.health
  embarazo INTEGER,                                -- user.health
  problemasCardiacos INTEGER,                      -- user.health
  objetivo TEXT,                                   -- user.preferences
  fechaRespuesta TEXT NOT NULL                     -- -
);
CREATE TABLE mediciones (
  idMedicion INTEGER PRIMARY KEY,                  -- -
  idSocio INTEGER NOT NULL REFERENCES socios(idSocio), -- user.unique_id
  pesoKg REAL,                                     -- user.health
  alturaCm INTEGER,                                -- user.health
  grasaCorporal REAL,                              -- user.health
  frecuenciaReposo INTEGER,                        -- user.health
  fechaMedicion TEXT NOT NULL                      -- -
);
CREATE TABLE accesos (
  idAcceso INTEGER PRIMARY KEY,                    -- -
  idSocio INTEGER NOT NULL REFERENCES socios(idSocio), -- user.unique_id
  idCentro INTEGER NOT NULL REFERENCES centros(idCentro), -- -
  tarjetaRfid TEXT NOT NULL,                       -- user.unique_id|user.device.device_id
  entrada TEXT NOT NULL,                           -- -
  salida TEXT,                                     -- -
  torno INTEGER NOT NULL                           -- -
);
CREATE TABLE monitores (
  idMonitor INTEGER PRIMARY KEY,                   -- user.unique_id
  nombreCompleto TEXT NOT NULL,                    -- user.name
  especialidad TEXT,                               -- user.job_title
  telefono TEXT,                                   -- user.contact.phone_number
  email TEXT,                                      -- user.contact.email
  nss TEXT,                                        -- user.unique_id
  idCentro INTEGER REFERENCES centros(idCentro)    -- -
);
CREATE TABLE clases (
  idClase INTEGER PRIMARY KEY,                     -- -
  nombreClase TEXT NOT NULL,                       -- -
  idCentro INTEGER NOT NULL REFERENCES centros(idCentro), -- -
  idMonitor INTEGER REFERENCES monitores(idMonitor), -- user.unique_id
  diaSemana INTEGER NOT NULL,                      -- -
  horaInicio TEXT NOT NULL,                        -- -
  plazas INTEGER NOT NULL                          -- -
);
CREATE TABLE reservas (
  idReserva INTEGER PRIMARY KEY,                   -- -
  idClase INTEGER NOT NULL REFERENCES clases(idClase), -- -
  idSocio INTEGER NOT NULL REFERENCES socios(idSocio), -- user.unique_id
  fechaClase TEXT NOT NULL,                        -- -
  asistio INTEGER,                                 -- -
  valoracion INTEGER,                              -- user.content
  comentario TEXT                                  -- user.content.communication
);
CREATE TABLE recibos (
  idRecibo INTEGER PRIMARY KEY,                    -- -
  idSocio INTEGER NOT NULL REFERENCES socios(idSocio), -- user.unique_id
  periodo TEXT NOT NULL,                           -- -
  importe NUMERIC NOT NULL,                        -- -
  estadoCobro TEXT NOT NULL,                       -- -
  referenciaMandato TEXT,                          -- user.financial
  motivoDevolucion TEXT                            -- user.financial
);
CREATE TABLE usuariosApp (
  idUsuario INTEGER PRIMARY KEY,                   -- -
  idSocio INTEGER NOT NULL REFERENCES socios(idSocio), -- user.unique_id
  usuario TEXT NOT NULL UNIQUE,                    -- user.account.username
  claveHash TEXT NOT NULL,                         -- user.credentials.password
  tokenPush TEXT,                                  -- user.device.device_id
  ultimaIp TEXT,                                   -- user.device.ip_address
  ultimoAcceso TEXT                                -- -
);
CREATE TABLE maquinas (
  idMaquina INTEGER PRIMARY KEY,                   -- -
  modelo TEXT NOT NULL,                            -- -
  numSerie TEXT NOT NULL,                          -- -
  idCentro INTEGER NOT NULL REFERENCES centros(idCentro), -- -
  fechaRevision TEXT                               -- -
);
`,
  rows(f) {
    const nombresM = ['Lucía', 'María', 'Carmen', 'Paula', 'Laura', 'Marta', 'Ainhoa', 'Nerea', 'Alba'];
    const nombresH = ['Hugo', 'Javier', 'Alejandro', 'Daniel', 'Pablo', 'Sergio', 'Iker', 'Álvaro', 'Jorge'];
    const apellidos = [
      'García',
      'Fernández',
      'González',
      'Rodríguez',
      'López',
      'Martínez',
      'Sánchez',
      'Pérez',
      'Gómez',
      'Ruiz',
      'Etxeberria',
      'Navarro',
    ];
    const movil = () => `${f.pick(['6', '7'])}${f.digits(2)} ${f.digits(3)} ${f.digits(3)}`;
    const letraDni = 'TRWAGMYFPDXBNJZSQVHLCKE';
    const dni = () => {
      const n = f.int(10000000, 79999999);
      return `${n}${letraDni[n % 23]}`;
    };
    const nie = () => {
      const n = f.int(1000000, 9999999);
      return `${f.pick(['X', 'Y'])}${n}${letraDni[n % 23]}`;
    };
    const calles = [
      'Calle Mayor',
      'Avenida de la Constitución',
      'Calle del Carmen',
      'Paseo de Gracia',
      'Calle Alcalá',
      'Plaza de España',
    ];
    const localidades = [
      ['28013', 'Madrid'],
      ['28045', 'Madrid'],
      ['08008', 'Barcelona'],
      ['46002', 'Valencia'],
      ['48001', 'Bilbao'],
    ] as const;
    const centros = times(6, (i) => {
      const [cp] = f.pick(localidades);
      return {
        idCentro: i + 1,
        nombreCentro: f.pick([
          'FitVida Chamberí',
          'FitVida Gràcia',
          'FitVida Ruzafa',
          'FitVida Abando',
          'FitVida Retiro',
          'FitVida Sants',
        ]),
        direccionCentro: `${f.pick(calles)}, ${f.int(1, 150)}`,
        codPostal: cp,
        telefonoRecepcion: `9${f.digits(2)} ${f.digits(3)} ${f.digits(3)}`,
        emailCentro: `centro${i + 1}@fitvida.example.es`,
        latitud: 40.4 + f.next(),
        longitud: -3.7 + f.next(),
        aforoMax: f.int(150, 600),
      };
    });
    const planes = [
      ['Básico', '29.90', '0.00', 0],
      ['Premium', '44.90', '19.90', 12],
      ['Joven', '24.90', '0.00', 0],
      ['Familiar', '69.90', '29.90', 12],
    ].map(([nombrePlan, cuotaMensual, matricula, permanenciaMeses], i) => ({
      idPlan: i + 1,
      nombrePlan,
      cuotaMensual,
      matricula,
      permanenciaMeses,
    }));
    const socios = times(240, (i) => {
      const mujer = f.chance(0.5);
      const nombre = f.pick(mujer ? nombresM : nombresH);
      const ap1 = f.pick(apellidos);
      const ap2 = f.pick(apellidos);
      const extranjero = f.chance(0.12);
      const [cp, loc] = f.pick(localidades);
      const domicilia = f.chance(0.85);
      return {
        idSocio: i + 1,
        numSocio: `FV${String(100000 + i)}`,
        tipoDocumento: extranjero ? 'NIE' : 'DNI',
        numDocumento: extranjero ? nie() : dni(),
        nombre,
        primerApellido: ap1,
        segundoApellido: extranjero ? null : ap2,
        fechaNac: f.chance(0.95) ? f.birthDate(16, 75).split('-').reverse().join('/') : null,
        genero: f.pick(['M', 'H', 'M', 'H', 'X']),
        telMovil: f.chance(0.95) ? movil() : null,
        correoE: f.chance(0.9)
          ? `${letters(nombre)}${f.pick(['.', '_', ''])}${letters(ap1)}${f.chance(0.4) ? f.int(70, 99) : ''}@${f.pick(['gmail.com', 'hotmail.es', 'yahoo.es', 'outlook.es'])}`
          : null,
        domicilio: `${f.pick(calles)}, ${f.int(1, 150)}, ${f.int(1, 8)}º ${f.pick(['A', 'B', 'C', 'Izda', 'Dcha'])}`,
        codPostal: cp,
        localidad: loc,
        cuentaDomiciliacion: domicilia ? ibanOf('ES', f.digits(20)) : null,
        titularCuenta: domicilia ? `${nombre} ${ap1} ${ap2}`.toUpperCase() : null,
        idPlan: f.int(1, 4),
        idCentro: f.int(1, 6),
        fotoUrl: f.chance(0.7) ? `https://cdn.fitvida.example.es/socios/${f.hex(20)}.jpg` : null,
        aceptaPublicidad: f.chance(0.3),
        aceptaImagen: f.chance(0.5),
        fechaAlta: f.recent(),
        estado: f.pick(['activo', 'activo', 'activo', 'baja', 'impago']),
      };
    });
    const cuestionarioSalud = times(180, (i) => ({
      idCuestionario: i + 1,
      idSocio: i + 1,
      lesionesPrevias: f.chance(0.35)
        ? f.pick([
            'rotura de ligamento cruzado 2019',
            'hernia discal L5',
            'tendinitis hombro',
            'esguince tobillo',
          ])
        : null,
      medicacion: f.chance(0.2)
        ? f.pick(['enalapril', 'levotiroxina', 'insulina', 'ibuprofeno ocasional'])
        : null,
      embarazo: f.chance(0.05),
      problemasCardiacos: f.chance(0.06),
      objetivo: f.pick(['perder peso', 'ganar masa muscular', 'salud general', 'preparar maratón']),
      fechaRespuesta: f.recent(),
    }));
    const mediciones = times(300, (i) => ({
      idMedicion: i + 1,
      idSocio: f.int(1, 240),
      pesoKg: Math.round((50 + f.next() * 60) * 10) / 10,
      alturaCm: f.int(150, 198),
      grasaCorporal: Math.round((10 + f.next() * 25) * 10) / 10,
      frecuenciaReposo: f.int(48, 90),
      fechaMedicion: f.recentDate(),
    }));
    const accesos = times(800, (i) => {
      const idSocio = f.int(1, 240);
      return {
        idAcceso: i + 1,
        idSocio,
        idCentro: f.int(1, 6),
        tarjetaRfid: `04${(0x3a0000 + idSocio * 7919).toString(16).toUpperCase()}80`,
        entrada: f.recent(),
        salida: f.chance(0.9) ? f.recent() : null,
        torno: f.int(1, 4),
      };
    });
    const monitores = times(20, (i) => {
      const nombre = f.pick([...nombresM, ...nombresH]);
      const ap = f.pick(apellidos);
      return {
        idMonitor: i + 1,
        nombreCompleto: `${nombre} ${ap} ${f.pick(apellidos)}`,
        especialidad: f.pick(['entrenador personal', 'spinning', 'yoga', 'pilates', 'crossfit']),
        telefono: movil(),
        email: `${letters(nombre)}.${letters(ap)}@fitvida.example.es`,
        nss: `${f.pick(['28', '08', '46', '48'])}/${f.digits(8)}/${f.digits(2)}`,
        idCentro: f.int(1, 6),
      };
    });
    const clases = times(40, (i) => ({
      idClase: i + 1,
      nombreClase: f.pick(['Spinning 45', 'Body Pump', 'Yoga Vinyasa', 'Pilates suelo', 'HIIT', 'Zumba']),
      idCentro: f.int(1, 6),
      idMonitor: f.chance(0.95) ? f.int(1, 20) : null,
      diaSemana: f.int(1, 7),
      horaInicio: f.pick(['07:00', '09:30', '13:15', '18:00', '19:30', '20:45']),
      plazas: f.int(12, 30),
    }));
    const reservas = times(600, (i) => ({
      idReserva: i + 1,
      idClase: f.int(1, 40),
      idSocio: f.int(1, 240),
      fechaClase: f.recentDate(),
      asistio: f.chance(0.8) ? f.chance(0.85) : null,
      valoracion: f.chance(0.3) ? f.int(1, 5) : null,
      comentario: f.chance(0.1)
        ? f.pick([
            'La monitora explica muy bien, pero la sala estaba demasiado llena.',
            'Me lesioné la rodilla, ¿se puede adaptar el ejercicio?',
            'Muy buena clase, repetiré la semana que viene.',
          ])
        : null,
    }));
    const recibos = times(500, (i) => {
      const devuelto = f.chance(0.08);
      return {
        idRecibo: i + 1,
        idSocio: f.int(1, 240),
        periodo: `2025-${String(f.int(1, 12)).padStart(2, '0')}`,
        importe: f.pick(['29.90', '44.90', '24.90', '69.90']),
        estadoCobro: devuelto ? 'devuelto' : f.pick(['cobrado', 'cobrado', 'pendiente']),
        referenciaMandato: f.chance(0.85) ? `FV-SEPA-${f.digits(8)}` : null,
        motivoDevolucion: devuelto
          ? f.pick(['AM04 fondos insuficientes', 'MD01 sin mandato', 'AC04 cuenta cancelada'])
          : null,
      };
    });
    const usuariosApp = times(170, (i) => {
      const s = socios[i]!;
      return {
        idUsuario: i + 1,
        idSocio: s.idSocio,
        usuario: s.correoE ?? `${letters(s.nombre)}${f.int(1, 999)}`,
        claveHash: f.passwordHash(),
        tokenPush: f.chance(0.6)
          ? `${f.alnum(11, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}:APA91b${f.alnum(60, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-')}`
          : null,
        ultimaIp: f.chance(0.9) ? f.ip() : null,
        ultimoAcceso: f.chance(0.9) ? f.recent() : null,
      };
    });
    const maquinas = times(60, (i) => ({
      idMaquina: i + 1,
      modelo: f.pick(['Technogym Run 700', 'Life Fitness Integrity', 'Matrix T5x', 'Concept2 RowErg']),
      numSerie: `${f.alnum(3, 'ABCDEFGHJKLMNPRSTUVWXYZ')}${f.digits(9)}`,
      idCentro: f.int(1, 6),
      fechaRevision: f.chance(0.8) ? f.recentDate() : null,
    }));
    return {
      centros,
      planes,
      socios,
      cuestionarioSalud,
      mediciones,
      accesos,
      monitores,
      clases,
      reservas,
      recibos,
      usuariosApp,
      maquinas,
    };
  },
};
