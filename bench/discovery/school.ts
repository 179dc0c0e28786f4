/**
 * A held-out schema written after the fourth round of rule changes and never tuned on: a French
 * secondary school's administration and digital workspace in camelCase French (`nomEleve`,
 * `telPortable`, `adresseMail`, `lienParente`). Pupils and their national number, legal
 * guardians, teachers, grades with the teacher's remarks, absences with reasons, sanctions,
 * canteen payments and workspace logins; schools, classes, subjects and rooms are the hard
 * negatives (the table of grades is called `notes`). Labelled before the classifier first ran on
 * it. Its misses then led the fifth round (issue 11), so it is now `tunedOn`.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import { ibanOf, letters } from './fake.js';

export const school: CorpusSchema = {
  name: 'school',
  description: 'secondary school, French camelCase names (held out, since tuned on)',
  heldOut: true,
  tunedOn: true,
  ddl: `
CREATE TABLE etablissements (
  id INTEGER PRIMARY KEY,                           -- -
  uai TEXT NOT NULL,                                -- -
  nom TEXT NOT NULL,                                -- -
  adresse TEXT,                                     -- -
  codePostal TEXT,                                  -- -
  commune TEXT,                                     -- -
  telephone TEXT,                                   -- -
  courriel TEXT                                     -- -
);
CREATE TABLE classes (
  id INTEGER PRIMARY KEY,                           -- -
  etablissementId INTEGER REFERENCES etablissements(id), -- -
  libelle TEXT NOT NULL,                            -- -
  niveau TEXT NOT NULL,                             -- -
  anneeScolaire TEXT NOT NULL                       -- -
);
CREATE TABLE salles (
  id INTEGER PRIMARY KEY,                           -- -
  etablissementId INTEGER REFERENCES etablissements(id), -- -
  nom TEXT NOT NULL,                                -- -
  capacite INTEGER                                  -- -
);
CREATE TABLE matieres (
  id INTEGER PRIMARY KEY,                           -- -
  code TEXT NOT NULL,                               -- -
  libelle TEXT NOT NULL,                            -- -
  coefficient NUMERIC                               -- -
);
CREATE TABLE eleves (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  ine TEXT UNIQUE,                                  -- user.unique_id
  nomEleve TEXT NOT NULL,                           -- user.name
  prenomEleve TEXT NOT NULL,                        -- user.name
  dateNaissance TEXT NOT NULL,                      -- user.demographic.age
  lieuNaissance TEXT,                               -- user.demographic
  sexe TEXT,                                        -- user.demographic
  classeId INTEGER REFERENCES classes(id),          -- -
  regimeAlimentaire TEXT,                           -- user.health|user.preferences
  allergies TEXT,                                   -- user.health
  pai INTEGER NOT NULL DEFAULT 0,                   -- user.health
  boursier INTEGER NOT NULL DEFAULT 0,              -- user.financial
  droitImage INTEGER NOT NULL DEFAULT 0,            -- user.consent
  photoUrl TEXT,                                    -- user.content.public|user.biometric
  dateInscription TEXT NOT NULL                     -- -
);
CREATE TABLE responsables (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  civilite TEXT,                                    -- user.name|user.demographic
  nom TEXT NOT NULL,                                -- user.name
  prenom TEXT NOT NULL,                             -- user.name
  telPortable TEXT,                                 -- user.contact.phone_number
  telTravail TEXT,                                  -- user.contact.phone_number
  adresseMail TEXT,                                 -- user.contact.email
  adresse TEXT,                                     -- user.contact.address
  codePostal TEXT,                                  -- user.contact.address
  ville TEXT,                                       -- user.contact.address
  profession TEXT,                                  -- user.job_title
  categorieSocioPro TEXT,                           -- user.demographic|user.job_title
  situationFamiliale TEXT                           -- user.demographic
);
CREATE TABLE eleveResponsables (
  eleveId INTEGER NOT NULL REFERENCES eleves(id),   -- user.unique_id
  responsableId INTEGER NOT NULL REFERENCES responsables(id), -- user.unique_id
  lienParente TEXT NOT NULL,                        -- user.demographic
  autoriteParentale INTEGER NOT NULL,               -- user|user.demographic
  PRIMARY KEY (eleveId, responsableId)
);
CREATE TABLE enseignants (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  numen TEXT,                                       -- user.unique_id
  nom TEXT NOT NULL,                                -- user.name
  prenom TEXT NOT NULL,                             -- user.name
  discipline TEXT,                                  -- user.job_title
  emailAcademique TEXT,                             -- user.contact.email
  etablissementId INTEGER REFERENCES etablissements(id) -- -
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,                           -- -
  eleveId INTEGER NOT NULL REFERENCES eleves(id),   -- user.unique_id
  matiereId INTEGER NOT NULL REFERENCES matieres(id), -- -
  enseignantId INTEGER REFERENCES enseignants(id),  -- user.unique_id
  valeur NUMERIC,                                   -- user
  appreciation TEXT,                                -- user.content.communication|user
  dateEvaluation TEXT NOT NULL                      -- -
);
CREATE TABLE absences (
  id INTEGER PRIMARY KEY,                           -- -
  eleveId INTEGER NOT NULL REFERENCES eleves(id),   -- user.unique_id
  debut TEXT NOT NULL,                              -- -
  fin TEXT NOT NULL,                                -- -
  motif TEXT,                                       -- user.content.communication|user.health|user
  justifiee INTEGER NOT NULL                        -- -
);
CREATE TABLE sanctions (
  id INTEGER PRIMARY KEY,                           -- -
  eleveId INTEGER NOT NULL REFERENCES eleves(id),   -- user.unique_id
  type TEXT NOT NULL,                               -- -
  description TEXT,                                 -- user.content.communication|user
  dateSanction TEXT NOT NULL                        -- -
);
CREATE TABLE paiementsCantine (
  id INTEGER PRIMARY KEY,                           -- -
  responsableId INTEGER NOT NULL REFERENCES responsables(id), -- user.unique_id
  montant NUMERIC NOT NULL,                         -- -
  moyen TEXT NOT NULL,                              -- -
  iban TEXT,                                        -- user.financial
  titulaireCompte TEXT,                             -- user.name
  datePaiement TEXT NOT NULL                        -- -
);
CREATE TABLE connexionsENT (
  id INTEGER PRIMARY KEY,                           -- -
  identifiant TEXT NOT NULL,                        -- user.account.username
  profil TEXT NOT NULL,                             -- -
  adresseIp TEXT,                                   -- user.device.ip_address
  navigateur TEXT,                                  -- user.device.browser
  dateConnexion TEXT NOT NULL                       -- -
);
`,
  rows(f) {
    const villes = [
      ['69003', 'Lyon'],
      ['13001', 'Marseille'],
      ['31000', 'Toulouse'],
      ['44000', 'Nantes'],
      ['67000', 'Strasbourg'],
    ] as const;
    const rue = () =>
      `${f.int(1, 120)} ${f.pick(['rue de la République', 'avenue Jean Jaurès', 'boulevard Victor Hugo', 'impasse des Lilas', 'place du Marché'])}`;
    const fixe = () => `0${f.int(1, 5)} ${f.digits(2)} ${f.digits(2)} ${f.digits(2)} ${f.digits(2)}`;
    const portable = () =>
      f.pick([
        `0${f.pick(['6', '7'])} ${f.digits(2)} ${f.digits(2)} ${f.digits(2)} ${f.digits(2)}`,
        `+33 ${f.pick(['6', '7'])} ${f.digits(8)}`,
      ]);
    const etablissements = times(4, (i) => {
      const [cp, ville] = villes[i]!;
      return {
        id: i + 1,
        uai: `0${f.digits(6)}${f.alnum(1, 'ABCDEFGHJKLMNPRSTUVWXYZ')}`,
        nom: `${f.pick(['Collège', 'Lycée'])} ${f.pick(['Jean Moulin', 'Marie Curie', 'Victor Hugo', 'Simone Veil'])}`,
        adresse: rue(),
        codePostal: cp,
        commune: ville,
        telephone: fixe(),
        courriel: `ce.0${f.digits(6)}@ac-${letters(ville)}.example.fr`,
      };
    });
    const classes = times(24, (i) => ({
      id: i + 1,
      etablissementId: f.int(1, 4),
      libelle: `${f.pick(['6e', '5e', '4e', '3e', '2nde', '1re'])} ${f.pick(['A', 'B', 'C', 'D'])}`,
      niveau: f.pick(['collège', 'lycée']),
      anneeScolaire: '2024-2025',
    }));
    const salles = times(40, (i) => ({
      id: i + 1,
      etablissementId: f.int(1, 4),
      nom: f.pick(['Salle ', 'Labo ', 'CDI ', 'Gymnase ']) + String(f.int(1, 30)),
      capacite: f.int(15, 35),
    }));
    const matieres = [
      ['FR', 'Français', 4],
      ['MATH', 'Mathématiques', 4],
      ['HG', 'Histoire-géographie', 3],
      ['SVT', 'Sciences de la vie et de la Terre', 2],
      ['LV1', 'Anglais', 3],
      ['EPS', 'Éducation physique et sportive', 2],
    ].map(([code, libelle, coefficient], i) => ({ id: i + 1, code, libelle, coefficient }));
    const eleves = times(220, (i) => {
      const fille = f.chance(0.5);
      const birthYear = 2025 - f.int(11, 18);
      return {
        id: i + 1,
        ine: `${f.digits(9)}${f.alnum(2, 'ABCDEFGHJKLMNPRSTUVWXYZ')}`,
        nomEleve: f.pick(frLast).toUpperCase(),
        prenomEleve: f.pick(fille ? frFirstF : frFirstM),
        dateNaissance: `${String(f.int(1, 28)).padStart(2, '0')}/${String(f.int(1, 12)).padStart(2, '0')}/${birthYear}`,
        lieuNaissance: f.chance(0.8)
          ? f.pick(['Lyon', 'Villeurbanne', 'Marseille', 'Alger', 'Lille', 'Dakar'])
          : null,
        sexe: fille ? 'F' : 'M',
        classeId: f.int(1, 24),
        regimeAlimentaire: f.chance(0.3) ? f.pick(['sans porc', 'végétarien', 'sans gluten', 'halal']) : null,
        allergies: f.chance(0.12) ? f.pick(['arachides', 'lactose', 'fruits à coque, œufs', 'pollen']) : null,
        pai: f.chance(0.06),
        boursier: f.chance(0.25),
        droitImage: f.chance(0.7),
        photoUrl: f.chance(0.8) ? `https://ent.example.fr/photos/eleves/${f.hex(16)}.jpg` : null,
        dateInscription: f.recentDate(),
      };
    });
    const responsables = times(300, (i) => {
      const femme = f.chance(0.55);
      const [cp, ville] = f.pick(villes);
      const prenom = f.pick(femme ? frFirstF : frFirstM);
      const nom = f.pick(frLast);
      return {
        id: i + 1,
        civilite: femme ? 'Mme' : 'M.',
        nom,
        prenom,
        telPortable: f.chance(0.9) ? portable() : null,
        telTravail: f.chance(0.3) ? fixe() : null,
        adresseMail: f.chance(0.85)
          ? `${letters(prenom)}.${letters(nom)}@${f.pick(['orange.fr', 'free.fr', 'gmail.com', 'laposte.net'])}`
          : null,
        adresse: rue(),
        codePostal: cp,
        ville,
        profession: f.chance(0.7)
          ? f.pick(['infirmière', 'chauffeur routier', 'professeur des écoles', 'comptable', 'sans emploi'])
          : null,
        categorieSocioPro: f.pick([
          'Cadres',
          'Employés',
          'Ouvriers',
          'Professions intermédiaires',
          'Sans activité',
        ]),
        situationFamiliale: f.pick(['marié(e)', 'divorcé(e)', 'célibataire', 'pacsé(e)', 'veuf(ve)']),
      };
    });
    const eleveResponsables = eleves.flatMap((e, i) => [
      {
        eleveId: e.id,
        responsableId: (i % 300) + 1,
        lienParente: f.pick(['mère', 'père']),
        autoriteParentale: true,
      },
      ...(f.chance(0.4)
        ? [
            {
              eleveId: e.id,
              responsableId: ((i + 150) % 300) + 1,
              lienParente: f.pick(['père', 'tuteur', 'grand-mère']),
              autoriteParentale: f.chance(0.8),
            },
          ]
        : []),
    ]);
    const enseignants = times(45, (i) => {
      const prenom = f.pick([...frFirstF, ...frFirstM]);
      const nom = f.pick(frLast);
      return {
        id: i + 1,
        numen: `${f.digits(2)}E${f.digits(7)}${f.alnum(3, 'ABCDEFGHJKLMNPRSTUVWXYZ')}`,
        nom,
        prenom,
        discipline: f.pick(['Lettres modernes', 'Mathématiques', 'Histoire-géographie', 'Anglais', 'EPS']),
        emailAcademique: `${letters(prenom)}.${letters(nom)}@ac-lyon.example.fr`,
        etablissementId: f.int(1, 4),
      };
    });
    const notes = times(1200, (i) => ({
      id: i + 1,
      eleveId: f.int(1, 220),
      matiereId: f.int(1, 6),
      enseignantId: f.int(1, 45),
      valeur: (f.int(0, 40) / 2).toFixed(1),
      appreciation: f.chance(0.4)
        ? f.pick([
            'Bon travail, continue ainsi.',
            'Des efforts sont attendus à l’oral.',
            'Résultats en baisse, manque de travail personnel.',
            'Très bon trimestre.',
          ])
        : null,
      dateEvaluation: f.recentDate(),
    }));
    const absences = times(400, (i) => ({
      id: i + 1,
      eleveId: f.int(1, 220),
      debut: f.recent(),
      fin: f.recent(),
      motif: f.chance(0.8)
        ? f.pick(['Maladie', 'Rendez-vous médical', 'Raison familiale', 'Transport', 'Non justifié'])
        : null,
      justifiee: f.chance(0.7),
    }));
    const sanctions = times(60, (i) => ({
      id: i + 1,
      eleveId: f.int(1, 220),
      type: f.pick(['avertissement', 'retenue', 'exclusion temporaire']),
      description: f.pick([
        'Insolence répétée envers un surveillant pendant la récréation.',
        'Utilisation du téléphone portable en contrôle.',
        'Dégradation du matériel de la salle de sciences.',
      ]),
      dateSanction: f.recentDate(),
    }));
    const paiementsCantine = times(500, (i) => {
      const r = f.pick(responsables);
      const prelevement = f.chance(0.5);
      return {
        id: i + 1,
        responsableId: r.id,
        montant: f.amount(180),
        moyen: prelevement ? 'prélèvement' : f.pick(['carte', 'chèque', 'espèces']),
        iban: prelevement ? ibanOf('FR', `${f.digits(10)}${f.digits(11)}${f.digits(2)}`) : null,
        titulaireCompte: prelevement ? `${r.prenom} ${r.nom}` : null,
        datePaiement: f.recentDate(),
      };
    });
    const connexionsENT = times(600, (i) => {
      const profil = f.pick(['eleve', 'parent', 'enseignant']);
      return {
        id: i + 1,
        identifiant: `${letters(f.pick([...frFirstF, ...frFirstM]))}.${letters(f.pick(frLast))}${f.chance(0.3) ? f.int(1, 9) : ''}`,
        profil,
        adresseIp: f.ip(),
        navigateur: f.userAgent(),
        dateConnexion: f.recent(),
      };
    });
    return {
      etablissements,
      classes,
      salles,
      matieres,
      eleves,
      responsables,
      eleveResponsables,
      enseignants,
      notes,
      absences,
      sanctions,
      paiementsCantine,
      connexionsENT,
    };
  },
};

// prettier-ignore
const frFirstF = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Emma', 'Jade', 'Louise', 'Nathalie', 'Sandrine', 'Isabelle'];
// prettier-ignore
const frFirstM = ['Lucas', 'Hugo', 'Nathan', 'Théo', 'Louis', 'Mathis', 'Karim', 'Julien', 'Nicolas', 'Sébastien', 'Olivier'];
// prettier-ignore
const frLast = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Benali', 'Nguyen'];
