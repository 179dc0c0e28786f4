/**
 * A held-out schema written after the second round of rule changes and never tuned on: a mobile
 * operator's customer, SIM, billing and network tables, with Portuguese and Czech column names
 * from two national subsidiaries beside English ones (call records, SIMs, cells, app logins), and
 * the network's own cells, stores, roaming partners and alarms as hard negatives. Untuned, with the
 * rules of its time: recall 0.746 (47 of 63 personal columns), precision 0.783, category accuracy
 * 0.979. Its misses then led the third round (telecom and device identifiers, vocabulary in the
 * EEA's languages, head words of table names), so it is now `tunedOn`.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import type { Fake } from './fake.js';
import { ibanOf, letters as ascii, luhnAppend } from './fake.js';

export const telecom: CorpusSchema = {
  name: 'telecom',
  description: 'mobile operator, Portuguese and Czech column names beside English (held out, since tuned on)',
  heldOut: true,
  tunedOn: true,
  ddl: `
CREATE TABLE clientes (
  id_cliente INTEGER PRIMARY KEY,                   -- user.unique_id
  numero_cliente TEXT NOT NULL UNIQUE,              -- user.unique_id
  nome_completo TEXT NOT NULL,                      -- user.name
  nif TEXT,                                         -- user.unique_id
  numero_cc TEXT,                                   -- user.unique_id
  data_nascimento TEXT,                             -- user.demographic.age
  genero TEXT,                                      -- user.demographic
  morada TEXT,                                      -- user.contact.address
  codigo_postal TEXT,                               -- user.contact.address
  localidade TEXT,                                  -- user.contact.address
  distrito TEXT,                                    -- user.contact.address
  telemovel TEXT,                                   -- user.contact.phone_number
  email TEXT,                                       -- user.contact.email
  iban TEXT,                                        -- user.financial
  consentimento_marketing INTEGER NOT NULL DEFAULT 0, -- user.consent
  segmento TEXT NOT NULL,                           -- -
  data_adesao TEXT NOT NULL,                        -- -
  observacoes TEXT                                  -- user.content.communication
);
CREATE TABLE zakaznici (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  cislo_zakaznika TEXT NOT NULL,                    -- user.unique_id
  jmeno TEXT NOT NULL,                              -- user.name
  prijmeni TEXT NOT NULL,                           -- user.name
  rodne_cislo TEXT,                                 -- user.unique_id
  datum_narozeni TEXT,                              -- user.demographic.age
  ulice TEXT,                                       -- user.contact.address
  cislo_popisne TEXT,                               -- user.contact.address
  psc TEXT,                                         -- user.contact.address
  obec TEXT,                                        -- user.contact.address
  telefon TEXT,                                     -- user.contact.phone_number
  e_mail TEXT,                                      -- user.contact.email
  cislo_uctu TEXT,                                  -- user.financial
  poznamka TEXT,                                    -- user.content.communication
  vytvoreno TEXT NOT NULL                           -- -
);
CREATE TABLE smlouvy (
  id INTEGER PRIMARY KEY,                           -- -
  zakaznik_id INTEGER NOT NULL REFERENCES zakaznici(id) ON DELETE CASCADE, -- user.unique_id
  cislo_smlouvy TEXT NOT NULL,                      -- -
  tarif TEXT NOT NULL,                              -- -
  datum_podpisu TEXT NOT NULL,                      -- -
  podpis_ip TEXT                                    -- user.device.ip_address
);
CREATE TABLE tarifarios (
  id INTEGER PRIMARY KEY,                           -- -
  nome TEXT NOT NULL,                               -- -
  descricao TEXT,                                   -- -
  preco_mensal NUMERIC NOT NULL,                    -- -
  dados_gb INTEGER,                                 -- -
  minutos INTEGER                                   -- -
);
CREATE TABLE sim_cards (
  iccid TEXT PRIMARY KEY,                           -- user.device.device_id|user.unique_id
  imsi TEXT NOT NULL,                               -- user.device.device_id|user.unique_id
  puk_code TEXT,                                    -- user.credentials
  status TEXT NOT NULL,                             -- -
  batch_no TEXT                                     -- -
);
CREATE TABLE assinaturas (
  id INTEGER PRIMARY KEY,                           -- -
  id_cliente INTEGER NOT NULL REFERENCES clientes(id_cliente) ON DELETE CASCADE, -- user.unique_id
  msisdn TEXT NOT NULL,                             -- user.contact.phone_number
  iccid TEXT REFERENCES sim_cards(iccid),           -- user.device.device_id|user.unique_id
  tarifario_id INTEGER REFERENCES tarifarios(id),   -- -
  data_ativacao TEXT NOT NULL,                      -- -
  fidelizacao_ate TEXT,                             -- -
  operador_origem TEXT                              -- -
);
CREATE TABLE cells (
  cell_id TEXT PRIMARY KEY,                         -- -
  site_name TEXT NOT NULL,                          -- -
  address TEXT,                                     -- -
  latitude REAL NOT NULL,                           -- -
  longitude REAL NOT NULL,                          -- -
  technology TEXT NOT NULL                          -- -
);
CREATE TABLE call_records (
  id INTEGER PRIMARY KEY,                           -- -
  caller_msisdn TEXT NOT NULL,                      -- user.contact.phone_number
  callee_number TEXT NOT NULL,                      -- user.contact.phone_number
  started_at TEXT NOT NULL,                         -- -
  duration_s INTEGER NOT NULL,                      -- -
  cell_id TEXT REFERENCES cells(cell_id),           -- user.location.imprecise|user.location
  imei TEXT,                                        -- user.device.device_id
  roaming_country TEXT,                             -- user.location.imprecise
  charge_eur NUMERIC                                -- -
);
CREATE TABLE lojas (
  id INTEGER PRIMARY KEY,                           -- -
  nome TEXT NOT NULL,                               -- -
  morada TEXT NOT NULL,                             -- -
  codigo_postal TEXT NOT NULL,                      -- -
  telefone TEXT,                                    -- -
  email TEXT,                                       -- -
  horario TEXT                                      -- -
);
CREATE TABLE funcionarios_loja (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  loja_id INTEGER REFERENCES lojas(id),             -- -
  nome TEXT NOT NULL,                               -- user.name
  codigo_vendedor TEXT NOT NULL,                    -- user.unique_id
  email_corporativo TEXT,                           -- user.contact.email
  comissao_pct NUMERIC                              -- user.financial
);
CREATE TABLE faturas (
  id INTEGER PRIMARY KEY,                           -- -
  id_cliente INTEGER NOT NULL REFERENCES clientes(id_cliente) ON DELETE RESTRICT, -- user.unique_id
  periodo TEXT NOT NULL,                            -- -
  valor_total NUMERIC NOT NULL,                     -- -
  morada_faturacao TEXT,                            -- user.contact.address
  nif_faturacao TEXT,                               -- user.unique_id
  pdf_url TEXT                                      -- -
);
CREATE TABLE pagamentos (
  id INTEGER PRIMARY KEY,                           -- -
  fatura_id INTEGER NOT NULL REFERENCES faturas(id) ON DELETE CASCADE, -- -
  metodo TEXT NOT NULL,                             -- -
  referencia_mb TEXT,                               -- -
  mbway_telemovel TEXT,                             -- user.contact.phone_number|user.financial.payment
  cartao_ultimos4 TEXT,                             -- user.financial.payment
  pago_em TEXT                                      -- -
);
CREATE TABLE reclamacoes (
  id INTEGER PRIMARY KEY,                           -- -
  id_cliente INTEGER REFERENCES clientes(id_cliente) ON DELETE SET NULL, -- user.unique_id
  assunto TEXT NOT NULL,                            -- user.content.communication
  descricao TEXT NOT NULL,                          -- user.content.communication
  canal TEXT NOT NULL,                              -- -
  estado TEXT NOT NULL,                             -- -
  criado_em TEXT NOT NULL                           -- -
);
CREATE TABLE pedidos_portabilidade (
  id INTEGER PRIMARY KEY,                           -- -
  msisdn TEXT NOT NULL,                             -- user.contact.phone_number
  operador_doador TEXT NOT NULL,                    -- -
  titular_nome TEXT NOT NULL,                       -- user.name
  titular_nif TEXT,                                 -- user.unique_id
  data_agendada TEXT                                -- -
);
CREATE TABLE operadores_roaming (
  id INTEGER PRIMARY KEY,                           -- -
  nome TEXT NOT NULL,                               -- -
  pais TEXT NOT NULL,                               -- -
  mcc_mnc TEXT NOT NULL,                            -- -
  contacto_email TEXT,                              -- -
  telefone_noc TEXT                                 -- -
);
CREATE TABLE app_logins (
  id INTEGER PRIMARY KEY,                           -- -
  cliente_id INTEGER REFERENCES clientes(id_cliente) ON DELETE CASCADE, -- user.unique_id
  ip TEXT,                                          -- user.device.ip_address
  user_agent TEXT,                                  -- user.device.browser
  device_fingerprint TEXT,                          -- user.device.cookie_id|user.device.device_id
  logged_at TEXT NOT NULL                           -- -
);
CREATE TABLE network_alarms (
  id INTEGER PRIMARY KEY,                           -- -
  cell_id TEXT REFERENCES cells(cell_id),           -- -
  severity TEXT NOT NULL,                           -- -
  message TEXT NOT NULL,                            -- -
  host_ip TEXT,                                     -- -
  raised_at TEXT NOT NULL                           -- -
);
`,
  rows(f) {
    const clientes = times(150, (i) => {
      const first = f.pick(ptFirst);
      const name = `${first} ${f.pick(ptLast)} ${f.pick(ptLast)}`;
      return {
        id_cliente: i + 1,
        numero_cliente: `C${String(700000 + i)}`,
        nome_completo: name,
        nif: nifPt(f),
        numero_cc: `${f.digits(8)} ${f.int(0, 9)} ${f.alnum(2, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${f.int(0, 9)}`,
        data_nascimento: f.birthDate(18, 85).split('-').reverse().join('/'),
        genero: f.pick(['M', 'F', 'NB']),
        morada: `${f.pick(['Rua', 'Avenida', 'Travessa', 'Largo'])} ${f.pick(['da Liberdade', 'de Santa Catarina', 'Almirante Reis', 'do Carmo'])}, ${f.int(1, 250)}, ${f.int(1, 6)}º ${f.pick(['Esq', 'Dto'])}`,
        codigo_postal: `${f.int(1000, 9999)}-${String(f.int(0, 999)).padStart(3, '0')}`,
        localidade: f.pick(['Lisboa', 'Porto', 'Amadora', 'Braga', 'Coimbra', 'Setúbal']),
        distrito: f.pick(['Lisboa', 'Porto', 'Braga', 'Coimbra', 'Setúbal']),
        telemovel: f.pick([
          `+351 9${f.pick(['1', '2', '3', '6'])}${f.digits(1)} ${f.digits(3)} ${f.digits(3)}`,
          `9${f.pick(['1', '2', '3', '6'])}${f.digits(7)}`,
        ]),
        email: `${ascii(first)}.${f.int(1, 999)}@${f.pick(['sapo.pt', 'gmail.com', 'hotmail.com', 'outlook.pt'])}`,
        iban: f.chance(0.7) ? iban(f, 'PT', f.digits(21)) : null,
        consentimento_marketing: f.chance(0.35),
        segmento: f.pick(['particular', 'particular', 'empresarial']),
        data_adesao: f.recentDate(),
        observacoes: f.chance(0.2)
          ? f.pick([
              'Cliente pediu fatura em papel.',
              'Reclamou da cobertura em casa, enviado técnico.',
              'Prefere contacto depois das 18h.',
            ])
          : null,
      };
    });
    const zakaznici = times(100, (i) => {
      const female = f.chance(0.5);
      const birth = f.birthDate(18, 85);
      const month = Number(birth.slice(5, 7)) + (female ? 50 : 0);
      return {
        id: i + 1,
        cislo_zakaznika: `CZ-${f.digits(7)}`,
        jmeno: f.pick(female ? czFirstF : czFirstM),
        prijmeni: f.pick(female ? czLastF : czLastM),
        rodne_cislo: `${birth.slice(2, 4)}${String(month).padStart(2, '0')}${birth.slice(8, 10)}/${f.digits(4)}`,
        datum_narozeni: `${Number(birth.slice(8, 10))}. ${Number(birth.slice(5, 7))}. ${birth.slice(0, 4)}`,
        ulice: f.pick(['Vinohradská', 'Náměstí Míru', 'Dlouhá', 'Masarykova', 'Husova']),
        cislo_popisne: `${f.int(1, 3000)}${f.chance(0.5) ? `/${f.int(1, 60)}` : ''}`,
        psc: `${f.int(100, 799)} ${f.digits(2)}`,
        obec: f.pick(['Praha', 'Brno', 'Ostrava', 'Plzeň', 'Olomouc', 'Liberec']),
        telefon: f.pick([
          `+420 ${f.pick(['6', '7'])}${f.digits(2)} ${f.digits(3)} ${f.digits(3)}`,
          `${f.pick(['6', '7'])}${f.digits(8)}`,
        ]),
        e_mail: `${ascii(f.pick(czFirstM))}.${f.int(10, 99)}@${f.pick(['seznam.cz', 'email.cz', 'centrum.cz', 'gmail.com'])}`,
        cislo_uctu: `${f.chance(0.3) ? `${f.int(1, 99)}-` : ''}${f.digits(10)}/${f.pick(['0800', '0100', '0300', '2010', '0600'])}`,
        poznamka: f.chance(0.15)
          ? f.pick(['Chce přenést číslo od jiného operátora.', 'Volat jen odpoledne.'])
          : null,
        vytvoreno: f.recent(),
      };
    });
    const smlouvy = times(140, (i) => ({
      id: i + 1,
      zakaznik_id: f.int(1, 100),
      cislo_smlouvy: `SML-${f.digits(8)}`,
      tarif: f.pick(['Neomezeně 5G', 'Start 10 GB', 'Rodina Plus']),
      datum_podpisu: f.recentDate(),
      podpis_ip: f.chance(0.7) ? f.ip() : null,
    }));
    const tarifarios = [
      ['Essencial 5GB', 'Chamadas ilimitadas e 5 GB', '9.99', 5, null],
      ['Mais 30GB', 'Chamadas e SMS ilimitados, 30 GB, roaming UE', '19.99', 30, null],
      ['Ilimitado 5G', 'Dados ilimitados em 5G', '34.99', null, null],
      ['Pré-pago Base', 'Tarifário pré-pago por minuto', '0.00', 1, 100],
    ].map(([nome, descricao, preco_mensal, dados_gb, minutos], i) => ({
      id: i + 1,
      nome,
      descricao,
      preco_mensal,
      dados_gb,
      minutos,
    }));
    const sim_cards = times(220, () => ({
      iccid: luhnAppend(`893510${f.digits(12)}`),
      imsi: `26801${f.digits(10)}`,
      puk_code: f.digits(8),
      status: f.pick(['active', 'active', 'in_stock', 'blocked']),
      batch_no: `B${f.int(2023, 2025)}-${f.digits(4)}`,
    }));
    const assinaturas = times(200, (i) => ({
      id: i + 1,
      id_cliente: f.int(1, 150),
      msisdn: `3519${f.pick(['1', '2', '3', '6'])}${f.digits(7)}`,
      iccid: sim_cards[i]!.iccid,
      tarifario_id: f.int(1, 4),
      data_ativacao: f.recentDate(),
      fidelizacao_ate: f.chance(0.6) ? f.recentDate() : null,
      operador_origem: f.chance(0.3) ? f.pick(['MEO', 'NOS', 'Vodafone', 'DIGI']) : null,
    }));
    const cells = times(60, (i) => ({
      cell_id: `268-01-${f.int(1000, 9999)}-${f.int(10000, 99999)}`,
      site_name: `${f.pick(['LIS', 'OPO', 'BRG', 'CBR'])}_${f.pick(['Alvalade', 'Boavista', 'Centro', 'Estadio', 'Aeroporto'])}_${i}`,
      address: `${f.pick(['Rua', 'Estrada'])} ${f.pick(['Nacional 10', 'do Monte', 'da Torre'])}, ${f.int(1, 200)}`,
      latitude: 38.5 + f.next() * 3,
      longitude: -9.3 + f.next() * 2,
      technology: f.pick(['LTE', 'NR', 'UMTS']),
    }));
    const call_records = times(600, (i) => ({
      id: i + 1,
      caller_msisdn: f.pick(assinaturas).msisdn,
      callee_number: f.pick([
        `+3519${f.digits(8)}`,
        `21${f.digits(7)}`,
        `+34 6${f.digits(8)}`,
        `+420 7${f.digits(8)}`,
      ]),
      started_at: f.recent(),
      duration_s: f.int(3, 3600),
      cell_id: f.pick(cells).cell_id,
      imei: f.chance(0.8) ? luhnAppend(`35${f.digits(12)}`) : null,
      roaming_country: f.chance(0.1) ? f.pick(['ES', 'FR', 'CZ', 'GB']) : null,
      charge_eur: f.chance(0.2) ? (f.int(1, 300) / 100).toFixed(2) : '0.00',
    }));
    const lojas = times(12, (i) => ({
      id: i + 1,
      nome: `Loja ${f.pick(['Colombo', 'Vasco da Gama', 'NorteShopping', 'Braga Parque', 'Almada Fórum'])}`,
      morada: f.pick(['Av. Lusíada, Loja 1.105', 'Av. D. João II, Loja 2.20', 'Rua Sara Afonso, Loja 0.14']),
      codigo_postal: `${f.int(1000, 4999)}-${String(f.int(0, 999)).padStart(3, '0')}`,
      telefone: `+351 21 ${f.digits(3)} ${f.digits(4)}`,
      email: `loja${i + 1}@lusotel.example`,
      horario: 'Seg–Dom 10:00–23:00',
    }));
    const funcionarios_loja = times(40, (i) => {
      const first = f.pick(ptFirst);
      const last = f.pick(ptLast);
      return {
        id: i + 1,
        loja_id: f.int(1, 12),
        nome: `${first} ${last}`,
        codigo_vendedor: `V${f.digits(5)}`,
        email_corporativo: `${ascii(first)}.${ascii(last)}@lusotel.example`,
        comissao_pct: f.pick([1.5, 2.0, 2.5, 3.0]),
      };
    });
    const faturas = times(400, (i) => ({
      id: i + 1,
      id_cliente: f.int(1, 150),
      periodo: `2025-${String(f.int(1, 5)).padStart(2, '0')}`,
      valor_total: f.amount(120),
      morada_faturacao: f.chance(0.3)
        ? `Rua ${f.pick(['Augusta', 'do Ouro', 'da Prata'])}, ${f.int(1, 200)}, Lisboa`
        : null,
      nif_faturacao: f.chance(0.4) ? nifPt(f) : null,
      pdf_url: `https://faturas.lusotel.example/${f.hex(24)}.pdf`,
    }));
    const pagamentos = times(380, (i) => {
      const metodo = f.pick(['MB Way', 'Multibanco', 'cartão', 'débito direto']);
      return {
        id: i + 1,
        fatura_id: f.int(1, 400),
        metodo,
        referencia_mb: metodo === 'Multibanco' ? `${f.digits(3)} ${f.digits(3)} ${f.digits(3)}` : null,
        mbway_telemovel:
          metodo === 'MB Way'
            ? `+351 9${f.pick(['1', '2', '3', '6'])}${f.digits(1)} ${f.digits(3)} ${f.digits(3)}`
            : null,
        cartao_ultimos4: metodo === 'cartão' ? f.digits(4) : null,
        pago_em: f.recent(),
      };
    });
    const reclamacoes = times(90, (i) => ({
      id: i + 1,
      id_cliente: f.int(1, 150),
      assunto: f.pick([
        'Fatura com valor errado',
        'Sem rede em casa',
        'Portabilidade atrasada',
        'Cobrança de roaming',
      ]),
      descricao: f.pick([
        'Fui cobrado duas vezes pelo mesmo mês, peço a devolução.',
        'Desde segunda-feira não tenho rede no meu apartamento em Alvalade.',
        'Pedi a portabilidade há três semanas e o número ainda não mudou.',
      ]),
      canal: f.pick(['loja', 'telefone', 'app', 'email']),
      estado: f.pick(['aberta', 'em análise', 'resolvida']),
      criado_em: f.recent(),
    }));
    const pedidos_portabilidade = times(50, (i) => ({
      id: i + 1,
      msisdn: `+3519${f.pick(['1', '2', '3', '6'])}${f.digits(7)}`,
      operador_doador: f.pick(['MEO', 'NOS', 'Vodafone', 'DIGI']),
      titular_nome: `${f.pick(ptFirst)} ${f.pick(ptLast)}`,
      titular_nif: nifPt(f),
      data_agendada: f.chance(0.8) ? f.recentDate() : null,
    }));
    const operadores_roaming = times(10, (i) => {
      const nome = f.pick([
        'Telefónica España',
        'Orange France',
        'T-Mobile Czech',
        'Vodafone UK',
        'TIM Italia',
      ]);
      return {
        id: i + 1,
        nome,
        pais: f.pick(['ES', 'FR', 'CZ', 'GB', 'IT']),
        mcc_mnc: `${f.int(200, 299)}-${String(f.int(1, 99)).padStart(2, '0')}`,
        contacto_email: `roaming@${ascii(nome.split(' ')[0]!)}.example`,
        telefone_noc: `+${f.pick(['34', '33', '420', '44', '39'])} ${f.digits(3)} ${f.digits(3)} ${f.digits(3)}`,
      };
    });
    const app_logins = times(400, (i) => ({
      id: i + 1,
      cliente_id: f.int(1, 150),
      ip: f.ip(),
      user_agent: f.chance(0.5)
        ? f.userAgent()
        : `LusotelApp/${f.pick(['5.2.0', '5.3.1'])} (${f.pick(['iOS 17.5', 'Android 14'])})`,
      device_fingerprint: f.hex(32),
      logged_at: f.recent(),
    }));
    const network_alarms = times(120, (i) => ({
      id: i + 1,
      cell_id: f.pick(cells).cell_id,
      severity: f.pick(['minor', 'major', 'critical']),
      message: f.pick(['Cell down', 'High PRB utilisation', 'Backhaul link flapping', 'Power supply alarm']),
      host_ip: f.serverIp(),
      raised_at: f.recent(),
    }));
    return {
      clientes,
      zakaznici,
      smlouvy,
      tarifarios,
      sim_cards,
      assinaturas,
      cells,
      call_records,
      lojas,
      funcionarios_loja,
      faturas,
      pagamentos,
      reclamacoes,
      pedidos_portabilidade,
      operadores_roaming,
      app_logins,
      network_alarms,
    };
  },
};

/** A Portuguese NIF with its mod-11 check digit. */
function nifPt(f: Fake): string {
  const body = `${f.pick(['1', '2', '3'])}${f.digits(7)}`;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * (9 - i);
  const check = 11 - (sum % 11);
  return `${body}${check >= 10 ? 0 : check}`;
}

/** An IBAN of `country` around `bban`, spaced in groups of four at times. */
function iban(f: Fake, country: string, bban: string): string {
  const value = ibanOf(country, bban);
  return f.chance(0.4) ? value.replace(/(.{4})/g, '$1 ').trim() : value;
}

// prettier-ignore
const ptFirst = ['João', 'Maria', 'Tiago', 'Inês', 'Rui', 'Beatriz', 'Gonçalo', 'Mariana', 'Duarte', 'Leonor', 'Nuno', 'Catarina'];
// prettier-ignore
const ptLast = ['Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Sousa', 'Fernandes', 'Gonçalves', 'Carvalho'];
// prettier-ignore
const czFirstM = ['Jiří', 'Petr', 'Tomáš', 'Ondřej', 'Lukáš', 'Václav', 'Martin', 'Jakub'];
// prettier-ignore
const czFirstF = ['Jana', 'Lucie', 'Tereza', 'Kateřina', 'Veronika', 'Eliška', 'Markéta', 'Zuzana'];
// prettier-ignore
const czLastM = ['Novák', 'Svoboda', 'Dvořák', 'Černý', 'Procházka', 'Kučera', 'Veselý', 'Horák'];
// prettier-ignore
const czLastF = ['Nováková', 'Svobodová', 'Dvořáková', 'Černá', 'Procházková', 'Kučerová', 'Veselá', 'Horáková'];
