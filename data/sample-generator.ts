/**
 * Writes synthetic MercadoLibre API responses in the recorded-sample layout — `categories.json` and
 * `search/<CATEGORY_ID>/<OFFSET>.json` — from a seed, so the same options give the same bytes. It
 * makes the bundled sample (`data/sample/`) and the benchmark's large inputs.
 *
 * The listings have the shapes and traps of the real API (see the README of `data/sample/`): USD
 * prices for vehicles and real estate, decimal prices, `sold_quantity` buckets or no
 * `sold_quantity` at all, plain-http thumbnails, three permalink forms, listings repeated across
 * pages and categories, and a few unusable ones (no id, null or negative price).
 *
 * Run: node --import tsx data/sample-generator.ts --out data/sample --listings 1550 --seed 42
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface SampleOptions {
  /** The folder to write; replaced if it exists. */
  readonly dir: string;
  readonly listings: number;
  /** @default 42 */
  readonly seed?: number;
  /** Listings per search page. @default 50 */
  readonly pageSize?: number;
  /**
   * Listings per category at most, as the API serves them (offset + limit ≤ 1000): a larger sample
   * spreads over synthetic categories beyond the real ones. @default 1000
   */
  readonly perCategory?: number;
}

export interface SampleSummary {
  readonly categories: number;
  readonly pages: number;
  readonly listings: number;
  readonly bytes: number;
}

interface Category {
  readonly id: string;
  readonly name: string;
  /** Nouns for titles. */
  readonly things: readonly string[];
  /** Price range in the category's currency. */
  readonly price: readonly [number, number];
  readonly currency: 'ARS' | 'USD';
  readonly permalink: 'catalog' | 'regular' | 'vehicle';
}

const ars = (things: string[], low: number, high: number): Omit<Category, 'id' | 'name'> => ({
  things,
  price: [low, high],
  currency: 'ARS',
  permalink: 'regular',
});

/** The top-level MLA categories, with what sells in them. */
const categories: readonly Category[] = [
  { id: 'MLA5725', name: 'Accesorios para Vehículos', ...ars(['Cubierta 205/55 R16', 'Batería 12x75', 'Kit Faros LED', 'Estéreo Bluetooth'], 9_000, 450_000) },
  { id: 'MLA1512', name: 'Agro', ...ars(['Motosierra', 'Bomba de Agua', 'Alambre Boyero 1000 m', 'Comedero'], 15_000, 2_500_000) },
  { id: 'MLA1403', name: 'Alimentos y Bebidas', ...ars(['Yerba Mate 1 kg', 'Aceite de Oliva 2 L', 'Vino Malbec x6', 'Café en Grano 1 kg'], 2_500, 90_000) },
  { id: 'MLA1071', name: 'Animales y Mascotas', ...ars(['Alimento Perro 21 kg', 'Piedras Sanitarias', 'Rascador Gato', 'Correa Extensible'], 4_000, 120_000) },
  { id: 'MLA1367', name: 'Antigüedades y Colecciones', ...ars(['Moneda de Plata 1881', 'Sifón Antiguo', 'Álbum Figuritas 1978', 'Radio Valvular'], 5_000, 900_000) },
  { id: 'MLA1368', name: 'Arte, Librería y Mercería', ...ars(['Set Acuarelas 24', 'Resma A4 x10', 'Lienzo 50x70', 'Lapiceras Gel x12'], 1_500, 80_000) },
  { id: 'MLA1743', name: 'Autos, Motos y Otros', things: ['Toyota Hilux 2.8 SRX', 'Volkswagen Amarok V6', 'Ford Ranger XLT', 'Honda CB 250 Twister'], price: [4_500, 85_000], currency: 'USD', permalink: 'vehicle' },
  { id: 'MLA1384', name: 'Bebés', ...ars(['Cochecito Travel System', 'Pañales x100', 'Butaca Auto', 'Cuna Colecho'], 8_000, 650_000) },
  { id: 'MLA1246', name: 'Belleza y Cuidado Personal', ...ars(['Perfume 100 ml', 'Secador de Pelo', 'Planchita Titanio', 'Protector Solar FPS 50'], 3_000, 250_000) },
  { id: 'MLA1039', name: 'Cámaras y Accesorios', ...ars(['Cámara Réflex Canon EOS', 'Lente 50 mm f/1.8', 'Trípode Aluminio', 'GoPro Hero 12'], 20_000, 2_800_000) },
  { id: 'MLA1051', name: 'Celulares y Teléfonos', ...ars(['Samsung Galaxy A55 256 GB', 'iPhone 15 128 GB', 'Motorola Edge 50', 'Xiaomi Redmi Note 13'], 180_000, 2_400_000) },
  { id: 'MLA1648', name: 'Computación', ...ars(['Notebook Lenovo IdeaPad', 'Monitor 27" 165 Hz', 'Placa de Video RTX 4060', 'SSD NVMe 1 TB'], 40_000, 3_500_000) },
  { id: 'MLA1144', name: 'Consolas y Videojuegos', ...ars(['PlayStation 5 Slim', 'Nintendo Switch OLED', 'Joystick DualSense', 'Xbox Series S'], 60_000, 1_600_000) },
  { id: 'MLA1276', name: 'Deportes y Fitness', ...ars(['Bicicleta MTB Rodado 29', 'Mancuernas 20 kg', 'Zapatillas Running', 'Cinta de Correr'], 10_000, 1_900_000) },
  { id: 'MLA5726', name: 'Electrodomésticos y Aires Ac.', ...ars(['Aire Acondicionado Split 3000 W', 'Heladera No Frost', 'Lavarropas 8 kg', 'Freidora de Aire'], 60_000, 2_200_000) },
  { id: 'MLA1000', name: 'Electrónica, Audio y Video', ...ars(['Smart TV 55" 4K', 'Parlante Bluetooth JBL', 'Auriculares Inalámbricos', 'Barra de Sonido'], 25_000, 1_800_000) },
  { id: 'MLA2547', name: 'Entradas para Eventos', ...ars(['Entrada Recital Campo', 'Platea Teatro Colón', 'Abono Lollapalooza', 'Entrada Superclásico'], 30_000, 600_000) },
  { id: 'MLA407134', name: 'Herramientas', ...ars(['Taladro Percutor 750 W', 'Amoladora Angular', 'Set Llaves Tubo', 'Soldadora Inverter'], 12_000, 700_000) },
  { id: 'MLA1574', name: 'Hogar, Muebles y Jardín', ...ars(['Sillón 3 Cuerpos', 'Colchón Queen', 'Juego de Sábanas', 'Parrilla a Carbón'], 8_000, 1_500_000) },
  { id: 'MLA1499', name: 'Industrias y Oficinas', ...ars(['Silla Ergonómica', 'Compresor 100 L', 'Impresora Láser', 'Balanza Comercial'], 20_000, 1_900_000) },
  { id: 'MLA1459', name: 'Inmuebles', things: ['Departamento 2 Ambientes Palermo', 'Casa 4 Ambientes Pilar', 'Lote 600 m² Nordelta', 'Monoambiente Centro'], price: [45_000, 480_000], currency: 'USD', permalink: 'vehicle' },
  { id: 'MLA1182', name: 'Instrumentos Musicales', ...ars(['Guitarra Eléctrica Stratocaster', 'Teclado 61 Teclas', 'Batería Acústica', 'Bandoneón'], 15_000, 2_000_000) },
  { id: 'MLA3937', name: 'Joyas y Relojes', ...ars(['Reloj Casio G-Shock', 'Anillo Oro 18k', 'Smartwatch', 'Cadena Plata 925'], 8_000, 900_000) },
  { id: 'MLA1132', name: 'Juegos y Juguetes', ...ars(['Lego Technic', 'Muñeca Barbie', 'Pista Hot Wheels', 'Juego de Mesa TEG'], 5_000, 300_000) },
  { id: 'MLA3025', name: 'Libros, Revistas y Comics', ...ars(['Rayuela - Cortázar', 'Ficciones - Borges', 'Mafalda Todas las Tiras', 'El Eternauta'], 4_000, 60_000) },
  { id: 'MLA1168', name: 'Música, Películas y Series', ...ars(['Vinilo Soda Stereo', 'Box Set Blu-ray', 'CD Charly García', 'Vinilo Spinetta'], 6_000, 150_000) },
  { id: 'MLA1430', name: 'Ropa y Accesorios', ...ars(['Campera de Cuero', 'Zapatillas Urbanas', 'Jean Clásico', 'Mochila Urbana'], 6_000, 350_000) },
  { id: 'MLA409431', name: 'Salud y Equipamiento Médico', ...ars(['Tensiómetro Digital', 'Oxímetro de Pulso', 'Silla de Ruedas', 'Nebulizador'], 8_000, 500_000) },
  { id: 'MLA1540', name: 'Servicios', ...ars(['Mudanzas y Fletes', 'Service de Aire Acondicionado', 'Clases de Inglés', 'Diseño Web'], 10_000, 400_000) },
  { id: 'MLA9304', name: 'Souvenirs, Cotillón y Fiestas', ...ars(['Globos x50', 'Piñata', 'Souvenirs Casamiento x30', 'Guirnalda LED'], 2_000, 90_000) },
  { id: 'MLA1953', name: 'Otras categorías', ...ars(['Artículo Varios', 'Lote Mixto', 'Kit Emergencia', 'Repuesto Genérico'], 2_000, 300_000) },
];

/** `sold_quantity` buckets, weighted towards the small ones. */
const soldBuckets: readonly (readonly [number, number])[] = [
  [1, 16], [2, 10], [3, 8], [4, 6], [5, 12], [25, 12], [50, 9], [100, 7], [150, 4], [200, 3], [250, 2], [500, 2], [5000, 1], [50000, 0.3],
];
const adjectives = ['Nuevo', 'Original', 'Oferta', 'Envío Gratis', 'Garantía Oficial', 'Importado', 'Premium', 'Outlet', 'Última Unidad', 'Cuotas Sin Interés'];
const colors = ['Negro', 'Blanco', 'Azul', 'Rojo', 'Gris', 'Verde', 'Plateado'];
const provinces = [['Capital Federal', 'Palermo'], ['Buenos Aires', 'La Plata'], ['Córdoba', 'Córdoba'], ['Santa Fe', 'Rosario'], ['Mendoza', 'Godoy Cruz'], ['Tucumán', 'San Miguel']] as const;
/** Titles from strangers: markup and quotes the email must escape. */
const hostileTitles = ['Oferta <script>alert(1)</script> Smart TV 55"', 'Combo "Mate & Termo" <b>Edición Limitada</b>'];

/** Rates of the traps, per listing. */
const rates = { duplicate: 0.03, missingSold: 0.25, nullPrice: 0.005, negativePrice: 0.002, missingId: 0.002 };

class Random {
  readonly #rng;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }

  int(from: number, to: number): number {
    return uniformInt(this.#rng, from, to);
  }

  float(): number {
    return uniformFloat64(this.#rng);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  weighted(items: readonly (readonly [number, number])[]): number {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let ticket = this.float() * total;
    for (const [value, weight] of items) {
      ticket -= weight;
      if (ticket < 0) return value;
    }
    return items[items.length - 1]![0];
  }
}

/** Writes the sample; returns what it wrote. */
export function generateSample(options: SampleOptions): SampleSummary {
  const pageSize = options.pageSize ?? 50;
  if (!Number.isInteger(options.listings) || options.listings < 0) throw new Error(`listings must be a whole number ≥ 0, got ${options.listings}`);
  const random = new Random(options.seed ?? 42);
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(join(options.dir, 'search'), { recursive: true });
  const sampled = sampleCategories(Math.ceil(options.listings / (options.perCategory ?? 1000)));
  let bytes = write(join(options.dir, 'categories.json'), sampled.map(({ id, name }) => ({ id, name })));
  let pages = 0;
  let serial = 0;
  const seen: Record<string, unknown>[] = [];
  sampled.forEach((category, index) => {
    const count = Math.floor(options.listings / sampled.length) + (index < options.listings % sampled.length ? 1 : 0);
    const dir = join(options.dir, 'search', category.id);
    mkdirSync(dir, { recursive: true });
    const total = count + (random.chance(0.2) ? random.int(1, 5000) : 0);
    for (let offset = 0; offset < count || (offset === 0 && count === 0); offset += pageSize) {
      const results: Record<string, unknown>[] = [];
      for (let position = offset; position < Math.min(count, offset + pageSize); position += 1) {
        const repeat = seen.length > 0 && random.chance(rates.duplicate);
        const item = repeat ? random.pick(seen) : listing(random, category, (serial += 1));
        if (!repeat && seen.length < 5000) seen.push(item);
        results.push(item);
      }
      bytes += write(join(dir, `${offset}.json`), searchPage(random, options.listings, offset, pageSize, total, results));
      pages += 1;
    }
  });
  return { categories: sampled.length, pages, listings: options.listings, bytes };
}

/** The real categories, then synthetic ones shaped like them, up to `atLeast` in all. */
function sampleCategories(atLeast: number): readonly Category[] {
  const synthetic = Array.from({ length: Math.max(0, atLeast - categories.length) }, (_, index): Category => {
    const number = categories.length + index;
    return { ...categories[number % categories.length]!, id: `MLA9${String(number).padStart(5, '0')}`, name: `Categoría sintética ${number}` };
  });
  return [...categories, ...synthetic];
}

function write(file: string, body: unknown): number {
  const text = JSON.stringify(body);
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}

function searchPage(random: Random, listings: number, offset: number, limit: number, total: number, results: unknown[]) {
  const primary = random.chance(0.1) ? total + random.int(1, 200) : total;
  return {
    site_id: 'MLA',
    country_default_time_zone: 'GMT-03:00',
    paging: { total, primary_results: primary, offset, limit },
    results,
    sort: { id: 'relevance', name: 'Más relevantes' },
    available_sorts: [
      { id: 'price_asc', name: 'Menor precio' },
      { id: 'price_desc', name: 'Mayor precio' },
    ],
    filters: [],
    available_filters: listings > 0 ? [{ id: 'condition', name: 'Condición', type: 'text', values: [{ id: '2230284', name: 'Nuevo', results: total }] }] : [],
  };
}

function listing(random: Random, category: Category, serial: number): Record<string, unknown> {
  const number = 1_000_000_000 + serial * 7919 + random.int(0, 7000);
  const id = `MLA${number}`;
  const thing = random.pick(category.things);
  const title = serial % 997 === 5 ? random.pick(hostileTitles) : `${thing} ${random.pick(colors)} ${random.pick(adjectives)}`;
  const slug = title.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const [low, high] = category.price;
  const decimals = random.chance(0.3);
  const raw = Math.exp(Math.log(low) + random.float() * (Math.log(high) - Math.log(low)));
  let price: number | null = decimals ? Math.round(raw * 100) / 100 : Math.round(raw / 10) * 10;
  if (random.chance(rates.nullPrice)) price = null;
  else if (random.chance(rates.negativePrice)) price = -price;
  const classified = category.permalink === 'vehicle';
  const thumbnailId = `${random.int(600_000, 999_999)}-MLA${random.int(10_000_000, 99_999_999)}_${random.int(1, 12)}2024`;
  const [state, city] = random.pick(provinces);
  const item: Record<string, unknown> = {
    id,
    site_id: 'MLA',
    title,
    condition: random.chance(0.85) ? 'new' : 'used',
    thumbnail_id: thumbnailId,
    catalog_product_id: category.permalink === 'regular' && random.chance(0.4) ? `MLA${random.int(10_000_000, 99_999_999)}` : null,
    listing_type_id: random.pick(['gold_special', 'gold_pro', 'gold_premium']),
    permalink: permalink(category, number, slug),
    buying_mode: classified ? 'classified' : 'buy_it_now',
    category_id: `MLA${random.int(1000, 439_999)}`,
    domain_id: `MLA-${category.things.indexOf(thing) === 0 ? 'PRIMARY' : 'OTHER'}_PRODUCTS`,
    thumbnail: `http://http2.mlstatic.com/D_${thumbnailId}-I.jpg`,
    currency_id: category.currency,
    order_backend: random.int(1, 50),
    price,
    original_price: random.chance(0.3) && price !== null ? Math.round(Math.abs(price) * 1.2) : null,
    sale_price: { price_id: '', amount: price, conditions: { context_restrictions: [], start_time: null, end_time: null }, currency_id: category.currency, type: 'standard' },
    available_quantity: random.pick([1, 50, 100, 150, 200, 250, 500]),
    official_store_id: random.chance(0.15) ? random.int(100, 5000) : null,
    use_thumbnail_id: true,
    accepts_mercadopago: true,
    shipping: { store_pick_up: false, free_shipping: random.chance(0.5), logistic_type: classified ? 'not_specified' : 'fulfillment', mode: classified ? 'not_specified' : 'me2', tags: [] },
    stop_time: '2045-10-03T04:00:00.000Z',
    seller: { id: random.int(10_000_000, 1_999_999_999), nickname: `VENDEDOR${random.int(1, 99_999)}` },
    address: { state_id: 'AR-C', state_name: state, city_id: null, city_name: city },
    attributes: [
      { id: 'BRAND', name: 'Marca', value_name: thing.split(' ')[0] ?? thing },
      { id: 'ITEM_CONDITION', name: 'Condición del ítem', value_name: 'Nuevo' },
    ],
    installments: classified ? null : { quantity: random.pick([3, 6, 12]), amount: price === null ? null : Math.round(Math.abs(price) / 6), rate: random.chance(0.5) ? 0 : 72.5, currency_id: 'ARS' },
    winner_item_id: null,
    tags: ['good_quality_picture', 'immediate_payment', 'cart_eligible'],
    promotions: [],
  };
  if (!random.chance(rates.missingSold)) item.sold_quantity = random.weighted(soldBuckets);
  if (random.chance(rates.missingId)) delete item.id;
  return item;
}

function permalink(category: Category, number: number, slug: string): string {
  if (category.permalink === 'vehicle') return `https://auto.mercadolibre.com.ar/MLA-${number}-${slug}-_JM`;
  if (number % 3 === 0) return `https://www.mercadolibre.com.ar/${slug}/p/MLA${number % 100_000_000}#wid=MLA${number}`;
  return `https://articulo.mercadolibre.com.ar/MLA-${number}-${slug}-_JM`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'data/sample' }, listings: { type: 'string', default: '1550' }, seed: { type: 'string', default: '42' } },
  });
  const summary = generateSample({ dir: resolve(values.out), listings: Number(values.listings), seed: Number(values.seed) });
  console.log(`wrote ${summary.listings} listings in ${summary.pages} pages of ${summary.categories} categories (${summary.bytes} bytes) to ${values.out}`);
}
