/**
 * The words retrieval knows before a workspace teaches it any: how customers of any online shop or
 * subscription name the common support topics (synonym groups), and the words they put around a
 * question that say nothing about its topic (filler). Kept generic: product words belong in a
 * workspace's own synonym groups (kb_synonyms).
 */
import { normalizeQuery } from './feedback.js';

/**
 * Ways customers name the common topics of any support site, per language: every workspace starts
 * with these, and admins add their own. A term matches the question's words exactly (after accents
 * are folded, as the question's are), so plural and spelling variants customers type are listed too.
 */
export const BUILT_IN_SYNONYMS: Record<string, string[][]> = {
  en: [
    ['refund', 'money back', 'reimburse', 'reimbursement', 'repay', 'refunded'],
    ['cancel', 'terminate', 'quit', 'end my', 'get out of'],
    ['pause', 'hold', 'suspend', 'freeze'],
    ['broken', 'damaged', 'faulty', 'defective', 'kaput', 'not working', 'stopped working', 'died', 'dead', 'defect'],
    ['parcel', 'package', 'shipment'],
    ['invoice', 'receipt', 'bill'],
    ['password', 'login', 'log in', 'sign in', 'signin', 'logon'],
    ['saddle', 'seat'],
    ['declined', 'rejected', 'refused', 'not go through', 'wont go through', 'didnt go through', 'failed'],
    ['country', 'countries', 'abroad', 'international', 'overseas'],
    ['discount', 'voucher', 'coupon', 'promo code', 'promo'],
    ['missing', 'not in the box', 'wasnt in', 'not included', 'incomplete'],
    ['cost', 'price', 'fee', 'charge', 'how much', 'costs', 'prices', 'fees'],
    ['delete', 'erase', 'close', 'deactivate', 'wipe'],
    ['account', 'profile'],
    ['subscription', 'membership', 'plan', 'contract'],
    ['technician', 'mechanic', 'engineer', 'repairman'],
    ['appointment', 'visit', 'booking', 'slot', 'time slot'],
    ['data', 'information', 'info', 'personal data'],
    ['twice', 'double', 'two times', '2x', 'duplicate'],
    ['card', 'credit card', 'debit card', 'visa', 'mastercard', 'amex', 'american express'],
    ['uk', 'united kingdom', 'britain', 'great britain', 'england', 'scotland', 'wales'],
    ['usa', 'united states', 'america'],
    ['ads', 'adverts', 'advertising', 'advertisements', 'marketing'],
    ['activate', 'confirm', 'verify', 'confirmation', 'activation'],
    ['half', 'partly', 'partial', 'part of', 'only some'],
    ['km', 'kilometre', 'kilometres', 'kilometer', 'kilometers', 'mile', 'miles'],
    ['range', 'distance', 'how far'],
    ['how long', 'how much time', 'duration', 'time'],
    ['free', 'free of charge', 'no charge', 'at no cost'],
    ['sign up', 'register', 'registration', 'create an account', 'open an account'],
    ['town', 'city', 'area', 'region', 'postcode', 'zip code', 'postal code', 'village'],
    ['holiday', 'vacation', 'away', 'travelling', 'traveling', 'trip'],
    ['email', 'e mail', 'mail', 'emails'],
    ['phone', 'mobile', 'smartphone', 'cell phone'],
    ['change', 'update', 'modify', 'edit', 'amend'],
    ['stolen', 'theft', 'stole', 'nicked', 'robbed'],
    ['bike', 'ebike', 'e bike', 'bicycle', 'pedelec', 'ebikes', 'bikes'],
    ['tyre', 'tire', 'tyres', 'tires'],
    ['colour', 'color', 'colours', 'colors'],
    ['puncture', 'flat', 'flat tyre', 'flat tire'],
    ['noise', 'sound', 'noisy', 'noises'],
    ['warranty', 'guarantee', 'guaranteed'],
    ['quote', 'quotation', 'offer', 'estimate'],
    ['lost', 'lose', 'misplaced'],
    ['stuck', 'jammed', 'wont come out'],
    ['late', 'delayed', 'delay'],
    ['unsubscribe', 'opt out', 'stop emails', 'stop sending'],
    ['instalments', 'installments', 'finance', 'financing', 'monthly payments', 'pay monthly', 'spread the cost'],
    ['company', 'business', 'corporate', 'firm'],
  ],
  de: [
    ['rückerstattung', 'erstattung', 'geld zurück', 'rückzahlung', 'zurückzahlen'],
    ['kündigen', 'beenden', 'stornieren', 'kündigung'],
    ['pausieren', 'aussetzen', 'unterbrechen', 'pause'],
    ['kaputt', 'defekt', 'beschädigt', 'funktioniert nicht', 'geht nicht'],
    ['paket', 'sendung', 'lieferung', 'päckchen'],
    ['rechnung', 'quittung', 'beleg'],
    ['passwort', 'kennwort', 'anmelden', 'einloggen', 'login'],
    ['sattel', 'sitz'],
    ['abgelehnt', 'fehlgeschlagen', 'geht nicht durch'],
    ['kosten', 'preis', 'gebühr', 'was kostet', 'wie viel', 'wie teuer'],
    ['löschen', 'auflösen', 'schließen', 'deaktivieren'],
    ['konto', 'account', 'kundenkonto', 'profil', 'benutzerkonto'],
    ['abo', 'abonnement', 'vertrag', 'mitgliedschaft'],
    ['techniker', 'mechaniker', 'monteur', 'servicetechniker'],
    ['termin', 'besuch', 'buchung', 'zeitfenster'],
    ['akku', 'batterie'],
    ['fahrrad', 'rad', 'e bike', 'ebike', 'pedelec', 'velo'],
    ['wie lange', 'dauer', 'dauert', 'zeit'],
    ['kostenlos', 'gratis', 'umsonst', 'kostenfrei'],
    ['sendungsnummer', 'trackingnummer', 'sendungsverfolgung', 'tracking'],
    ['expressversand', 'express', 'eilversand'],
    ['zurückschicken', 'zurücksenden', 'zurückgeben', 'rücksendung', 'retoure'],
    ['umtauschen', 'tauschen', 'umtausch', 'austauschen'],
    ['garantie', 'gewährleistung', 'reklamation'],
    ['kreditkarte', 'karte', 'visa', 'mastercard', 'amex'],
    ['handy', 'smartphone', 'telefon'],
    ['email', 'e mail', 'mail'],
  ],
};

/**
 * Words customers put around a question that say nothing about its topic ("please help, I need to
 * get…"); the databases' stop-word lists keep some of them. Accents folded, as question words are.
 */
export const FILLER = new Set(
  (
    'get gets got getting want wants wanted need needs needed help helps know tell please pls plz thanks thank thx hi hello hey dear ' +
    'anyone someone somebody way still yet already just also really trying try able possible guys team many lot lots bit ' +
    'thing things stuff anything something wondering question asap urgent ok okay ' +
    'bitte danke hallo hi brauche brauchen möchte möchten will kann können geht gibt mal schon noch eigentlich leider frage dringend etwas'
  )
    .split(' ')
    .map(normalizeQuery),
);

/** Every word of the built-in groups (any language): a real word a customer typed on purpose, never a typo to correct. */
export const BUILT_IN_WORDS: ReadonlySet<string> = new Set(
  Object.values(BUILT_IN_SYNONYMS)
    .flat(2)
    .flatMap((t) => normalizeQuery(t).split(' '))
    .filter((w) => w.length >= 4),
);
