/** A web shop: customers, addresses, a catalogue, orders, payments, reviews, carts and physical stores. */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';

export const shop: CorpusSchema = {
  name: 'shop',
  description: 'web shop, English snake_case',
  ddl: `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  email TEXT NOT NULL UNIQUE,                       -- user.contact.email
  password_hash TEXT NOT NULL,                      -- user.credentials.password
  first_name TEXT NOT NULL,                         -- user.name
  last_name TEXT NOT NULL,                          -- user.name
  phone TEXT,                                       -- user.contact.phone_number
  date_of_birth TEXT,                               -- user.demographic.age
  accepts_marketing INTEGER NOT NULL DEFAULT 0,     -- user.consent
  preferred_language TEXT,                          -- user.preferences
  total_spent NUMERIC,                              -- user.financial.purchase_history
  email_verified INTEGER NOT NULL DEFAULT 0,        -- -
  created_at TEXT NOT NULL,                         -- -
  updated_at TEXT                                   -- -
);
CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,                           -- -
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE, -- user.unique_id
  recipient_name TEXT,                              -- user.name
  street TEXT NOT NULL,                             -- user.contact.address
  street2 TEXT,                                     -- user.contact.address
  postal_code TEXT NOT NULL,                        -- user.contact.address
  city TEXT NOT NULL,                               -- user.contact.address
  country_code TEXT NOT NULL,                       -- user.contact.address
  is_default INTEGER NOT NULL DEFAULT 0             -- -
);
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,                           -- -
  name TEXT NOT NULL,                               -- -
  slug TEXT NOT NULL                                -- -
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,                           -- -
  sku TEXT NOT NULL UNIQUE,                         -- -
  ean TEXT,                                         -- -
  name TEXT NOT NULL,                               -- -
  description TEXT,                                 -- -
  price NUMERIC NOT NULL,                           -- -
  weight_grams INTEGER,                             -- -
  category_id INTEGER REFERENCES categories(id),    -- -
  product_uuid TEXT NOT NULL,                       -- -
  attributes TEXT,                                  -- -
  created_at TEXT NOT NULL                          -- -
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,                           -- -
  order_number TEXT NOT NULL UNIQUE,                -- -
  customer_id INTEGER REFERENCES customers(id) ON DELETE RESTRICT, -- user.unique_id
  guest_email TEXT,                                 -- user.contact.email
  status TEXT NOT NULL,                             -- -
  total NUMERIC NOT NULL,                           -- -
  currency TEXT NOT NULL,                           -- -
  shipping_address_id INTEGER REFERENCES addresses(id) ON DELETE SET NULL, -- -
  tracking_number TEXT,                             -- -
  customer_ip TEXT,                                 -- user.device.ip_address
  user_agent TEXT,                                  -- user.device.browser
  placed_at TEXT NOT NULL                           -- -
);
CREATE TABLE order_items (
  id INTEGER PRIMARY KEY,                           -- -
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE, -- -
  product_id INTEGER NOT NULL REFERENCES products(id), -- -
  quantity INTEGER NOT NULL,                        -- -
  unit_price NUMERIC NOT NULL,                      -- -
  gift_message TEXT                                 -- user.content.communication
);
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,                           -- -
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE RESTRICT, -- -
  card_last4 TEXT,                                  -- user.financial.payment
  card_brand TEXT,                                  -- -
  amount NUMERIC NOT NULL,                          -- -
  psp_reference TEXT NOT NULL,                      -- -
  paid_at TEXT NOT NULL                             -- -
);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,                           -- -
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE, -- -
  customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL, -- user.unique_id
  rating INTEGER NOT NULL,                          -- -
  title TEXT,                                       -- user.content.public|user.content.communication
  body TEXT,                                        -- user.content.public|user.content.communication
  created_at TEXT NOT NULL                          -- -
);
CREATE TABLE carts (
  id TEXT PRIMARY KEY,                              -- -
  session_id TEXT NOT NULL,                         -- user.device.cookie_id
  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE, -- user.unique_id
  created_at TEXT NOT NULL                          -- -
);
CREATE TABLE stores (
  id INTEGER PRIMARY KEY,                           -- -
  name TEXT NOT NULL,                               -- -
  street TEXT NOT NULL,                             -- -
  city TEXT NOT NULL,                               -- -
  postal_code TEXT NOT NULL,                        -- -
  phone TEXT,                                       -- -
  email TEXT,                                       -- -
  opening_hours TEXT,                               -- -
  latitude REAL,                                    -- -
  longitude REAL                                    -- -
);
CREATE TABLE newsletter_signups (
  id INTEGER PRIMARY KEY,                           -- -
  email TEXT NOT NULL,                              -- user.contact.email
  source TEXT,                                      -- -
  confirmed_at TEXT,                                -- -
  ip_address TEXT                                   -- user.device.ip_address
);
`,
  rows(f) {
    const customers = times(80, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        email: f.email(first, last),
        password_hash: f.passwordHash(),
        first_name: first,
        last_name: last,
        phone: f.chance(0.8) ? f.phone() : null,
        date_of_birth: f.chance(0.6) ? f.birthDate() : null,
        accepts_marketing: f.chance(0.4),
        preferred_language: f.pick(['sv', 'en', 'de', 'da', 'fi']),
        total_spent: f.amount(20000),
        email_verified: f.chance(0.9),
        created_at: f.recent(),
        updated_at: f.recent(),
      };
    });
    const addresses = times(100, (i) => {
      const country = f.pick(['SE', 'DE', 'GB', 'NL', 'DK']);
      return {
        id: i + 1,
        customer_id: f.int(1, 80),
        recipient_name: f.fullName(),
        street: f.street(),
        street2: f.chance(0.3) ? f.pick(['Lgh 1102', 'c/o Berg', '2nd floor', 'Apt 4B']) : null,
        postal_code: f.postcode(country),
        city: f.city(),
        country_code: country,
        is_default: f.chance(0.5),
      };
    });
    const categories = times(12, (i) => ({
      id: i + 1,
      name: f.pick(['Shoes', 'Outdoor', 'Kitchen', 'Books', 'Garden', 'Lighting', 'Toys', 'Audio']),
      slug: `cat-${i + 1}`,
    }));
    const products = times(120, (i) => ({
      id: i + 1,
      sku: f.sku(),
      ean: f.ean13(),
      name: `${f.pick(['Nordic', 'Classic', 'Urban', 'Trail', 'Cosy'])} ${f.pick(['Lamp', 'Boot', 'Kettle', 'Jacket', 'Speaker', 'Chair'])}`,
      description: f.pick([
        'Hand-made in Småland from oiled oak.',
        'Waterproof and breathable for long hikes.',
        'Energy-efficient LED, warm white.',
      ]),
      price: f.amount(3000),
      weight_grams: f.int(80, 12000),
      category_id: f.int(1, 12),
      product_uuid: f.uuid(),
      attributes: { color: f.pick(['black', 'oak', 'red']), size: f.pick(['S', 'M', 'L']), material: 'wool' },
      created_at: f.recent(),
    }));
    const orders = times(200, (i) => ({
      id: i + 1,
      order_number: `#${100100 + i}`,
      customer_id: f.chance(0.8) ? f.int(1, 80) : null,
      guest_email: f.chance(0.3) ? f.email() : null,
      status: f.pick(['paid', 'shipped', 'delivered', 'refunded']),
      total: f.amount(8000),
      currency: f.pick(['SEK', 'EUR', 'DKK']),
      shipping_address_id: f.int(1, 100),
      tracking_number: f.trackingNumber(),
      customer_ip: f.ip(),
      user_agent: f.userAgent(),
      placed_at: f.recent(),
    }));
    const order_items = times(400, (i) => ({
      id: i + 1,
      order_id: f.int(1, 200),
      product_id: f.int(1, 120),
      quantity: f.int(1, 4),
      unit_price: f.amount(3000),
      gift_message: f.chance(0.15)
        ? f.pick(['Happy birthday, Oma!', 'Congratulations on the new flat', 'Grattis på födelsedagen!'])
        : null,
    }));
    const payments = times(200, (i) => ({
      id: i + 1,
      order_id: i + 1,
      card_last4: f.digits(4),
      card_brand: f.pick(['visa', 'mastercard', 'amex']),
      amount: f.amount(8000),
      psp_reference: f.hex(16).toUpperCase(),
      paid_at: f.recent(),
    }));
    const reviews = times(90, (i) => ({
      id: i + 1,
      product_id: f.int(1, 120),
      customer_id: f.int(1, 80),
      rating: f.int(1, 5),
      title: f.pick(['Great boots', 'Broke after a week', 'Exactly as described', 'Lovely lamp']),
      body: f.pick([
        'Bought these for my husband and he wears them every day.',
        'The handle came off after a week, disappointed.',
        'Fast delivery to Umeå, good packaging.',
      ]),
      created_at: f.recent(),
    }));
    const carts = times(60, () => ({
      id: f.uuid(),
      session_id: f.hex(32),
      customer_id: f.chance(0.5) ? f.int(1, 80) : null,
      created_at: f.recent(),
    }));
    const stores = times(8, (i) => ({
      id: i + 1,
      name: `${f.city()} ${f.pick(['Centrum', 'Galleria', 'Outlet'])}`,
      street: f.street(),
      city: f.city(),
      postal_code: f.postcode('SE'),
      phone: f.phone(),
      email: `store${i + 1}@nordicshop.example`,
      opening_hours: 'Mon-Fri 10-19, Sat 10-16',
      latitude: 55 + f.next() * 10,
      longitude: 11 + f.next() * 10,
    }));
    const newsletter_signups = times(70, (i) => ({
      id: i + 1,
      email: f.email(),
      source: f.pick(['footer', 'checkout', 'popup']),
      confirmed_at: f.chance(0.7) ? f.recent() : null,
      ip_address: f.ip(),
    }));
    return {
      customers,
      addresses,
      categories,
      products,
      orders,
      order_items,
      payments,
      reviews,
      carts,
      stores,
      newsletter_signups,
    };
  },
};
