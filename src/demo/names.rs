//! French data for the demo: first names, surnames, streets, communes, courts and collection
//! agencies. Household 1 is always "Élodie Béranger" (the README's example lookup).

/// First names, with their accents (about half women's, half men's).
#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    // Women.
    "Élodie", "Hélène", "Chloé", "Zoé", "Anaïs", "Noémie", "Océane", "Léa", "Maëlle", "Agnès",
    "Inès", "Aïcha", "Fatoumata", "Nadège", "Renée", "Thérèse", "Josée", "Marie-Claire",
    "Anne-Sophie", "Marie-Thérèse", "Mélanie", "Émilie", "Céline", "Sandrine", "Nathalie",
    "Isabelle", "Sylvie", "Valérie", "Stéphanie", "Aurélie", "Séverine", "Virginie", "Laëtitia",
    "Géraldine", "Bérénice", "Clémence", "Margaux", "Manon", "Camille", "Julie", "Sarah",
    "Yasmina", "Samira", "Leïla", "Naïma", "Karima", "Fatima", "Aminata", "Mariama", "Ayşe",
    "Elif", "Joana", "Sofia", "Linh", "Gwenaëlle", "Héloïse", "Adèle", "Solène", "Maëva",
    "Jennifer", "Audrey", "Élise", "Cécile", "Françoise", "Brigitte", "Monique", "Danièle",
    "Ginette", "Paulette", "Jacqueline", "Odile", "Régine", "Estelle", "Morgane", "Jessica",
    "Lucie", "Pauline", "Amélie", "Ophélie", "Déborah",
    // Men.
    "Jérôme", "Frédéric", "Cédric", "Gaël", "Loïc", "Clément", "Théo", "Mathéo", "Raphaël", "Joël",
    "Noël", "Mamadou", "Youssef", "Karim", "Mehmet", "Gérard", "André", "José", "Timothée",
    "Jean-Pierre", "Jean-Luc", "Pierre-Yves", "Jean-François", "Jean-Marc", "Hervé", "Stéphane",
    "Sébastien", "Grégory", "Jérémy", "Mickaël", "Anthony", "Kévin", "Dylan", "Benoît", "François",
    "Rémi", "Aurélien", "Valentin", "Maxime", "Nicolas", "Julien", "Thierry", "Pascal", "Régis",
    "Didier", "Patrick", "Bernard", "Michel", "René", "Gilbert", "Marcel", "Ahmed", "Mohamed",
    "Rachid", "Hocine", "Samir", "Abdelkader", "Moussa", "Ibrahima", "Ousmane", "Mustafa", "Emre",
    "Hakan", "João", "Luís", "Manuel", "Florian", "Lucas", "Hugo", "Enzo", "Noé", "Léo", "Bastien",
    "Quentin", "Romain", "Yannick", "Fabrice", "Éric", "Emmanuel", "Xavier", "Ludovic",
];

/// Index in `FIRST_NAMES` where men's names start (co-holders alternate).
pub const FIRST_MEN: usize = 80;

/// Surnames, many with accents, hyphens, spaces or apostrophes.
#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "Béranger", "Lefèvre", "Lemaître", "Benoît", "Mercier", "Rousseau", "Guérin", "Müller",
    "Schmitt", "Meyer", "Weiss", "Koenig", "Hoffmann", "Bauer", "Zimmermann", "Brunet",
    "Chevalier", "François", "Gauthier", "Hébert", "Ménard", "Pelletier", "Lévêque", "Noël",
    "Clément", "Rémy", "Boulanger", "Carré", "Besnard", "Allard", "Périer", "Lacroix", "Delattre",
    "Desprès", "Frémont", "Thévenin", "Aubé", "Bénard", "Dupré", "Hénaff", "Jégou", "Lelièvre",
    "Léger", "Bréhier", "Pâris", "Prévost", "Mathé", "Séguin", "Chrétien", "Crépin", "Bélanger",
    "Désiré", "Thérond", "Moreau", "Lambert", "Fontaine", "Dubois", "Durand", "Leroux", "Vincent",
    "Morel", "Fournier", "Bonnet", "Dumont", "Garnier", "Roche", "Roussel", "Perrot", "Barbier",
    "Renaud", "Arnaud", "Picard", "Aubert", "Lemoine", "Marchand", "Duval", "Denis", "Masson",
    "Caron", "Collet", "Brun", "Jacquet", "Bertrand", "Laurent", "Simon", "Michel", "Lefebvre",
    "Petit", "Richard", "Robert", "Thomas", "Dubreuil", "Poirier", "Huet", "Gaillard",
    "Charpentier", "Maillard", "Vidal", "Rey", "Giraud", "Lebrun", "Dufour", "Blanchard",
    "Guillot", "Langlois", "Schneider", "Weber", "Wagner", "Klein", "Schaeffer", "Haas", "Ehrhart",
    "Bisch", "Kuntz", "Heitz", "Frey", "Herrmann", "Scherrer", "Sutter", "Hartmann", "Lutz",
    "Engel", "Roth", "Wolff", "Stoffel", "Kieffer", "Grunenwald", "Haegelé", "Schwartz", "Baumann",
    "Ritter", "Muré", "Gœtz", "Martin-Dubois", "Saint-Martin", "Lefèvre-Roussel",
    "Bernard-Rousseau", "Moreau-Lévêque", "Perret-Gentil", "Grand-Clément", "Petit-Jean",
    "Da Silva", "Dos Santos", "Ferreira", "Pereira", "Rodrigues", "Fernandes", "Gonçalves",
    "Lopes", "Martins", "Oliveira", "Carvalho", "Teixeira", "N'Diaye", "Diallo", "Traoré", "Koné",
    "Camara", "Sow", "Bâ", "Cissé", "Touré", "Keïta", "Haddad", "Belkacem", "Bouzid", "Mansouri",
    "Benamar", "Chérif", "Amrani", "El Idrissi", "Aït-Ahmed", "Yılmaz", "Demir", "Kaya", "Öztürk",
    "Çelik", "Şahin", "Nguyen", "Tran", "Pham", "Lê", "Kowalski", "Nowak", "Ricci", "Russo",
    "Esposito", "García", "Martínez", "López", "Popescu", "D'Amico", "Le Goff", "Le Gall",
    "Lê-Duval", "Étienne", "Émery", "Évrard", "Ollivier", "Ribeiro",
];

/// Streets used in the Ain (01).
#[rustfmt::skip]
pub const STREETS_01: &[&str] = &[
    "rue des Lilas", "avenue Jean-Jaurès", "rue Victor-Hugo", "allée des Peupliers",
    "boulevard de la République", "rue du Général-de-Gaulle", "rue Pasteur", "rue des Écoles",
    "chemin des Vignes", "rue de l'Église", "rue Émile-Zola", "rue des Acacias", "rue Jean-Moulin",
    "rue du Moulin", "rue de la Gare", "rue des Tilleuls", "impasse des Cerisiers",
    "rue Albert-Camus", "avenue de Lyon", "rue Edgar-Quinet", "rue de la Croix-Blanche",
    "allée des Charmilles", "rue des Bressans", "rue du Bugey", "avenue Léon-Blum",
    "rue Pierre-et-Marie-Curie", "rue des Mûriers", "square des Genêts", "rue de Genève",
    "rue Aristide-Briand", "rue Anatole-France", "rue des Glycines",
];

/// Streets used in the Haut-Rhin (68).
#[rustfmt::skip]
pub const STREETS_68: &[&str] = &[
    "rue du Rhin", "rue des Vosges", "rue de Bâle", "avenue d'Alsace", "rue de Thann",
    "rue des Vignerons", "rue Jean-Jaurès", "rue de la Cigogne", "rue du Ballon",
    "rue des Tanneurs", "allée des Hêtres", "rue de Strasbourg", "rue Schweitzer",
    "rue du Markstein", "rue des Bleuets", "boulevard de l'Europe", "rue Frédéric-Bartholdi",
    "rue de la Doller", "rue de l'Ill", "rue Pierre-Loti", "rue des Mésanges", "rue de Guebwiller",
    "rue du Florival", "rue Victor-Schœlcher", "place de la Réunion", "rue des Trois-Épis",
    "rue des Sapins", "rue Lefèbvre", "avenue de Colmar", "rue Kœchlin", "rue de Belfort",
    "rue des Jardins",
];

/// Communes with their postcodes, per sector code.
pub const COMMUNES: &[(&str, &[(&str, &str)])] = &[
    (
        "BOU",
        &[
            ("Bourg-en-Bresse", "01000"),
            ("Bourg-en-Bresse", "01000"),
            ("Bourg-en-Bresse", "01000"),
            ("Péronnas", "01960"),
            ("Viriat", "01440"),
            ("Saint-Denis-lès-Bourg", "01000"),
            ("Montrevel-en-Bresse", "01340"),
            ("Ceyzériat", "01250"),
            ("Attignat", "01340"),
            ("Vonnas", "01540"),
            ("Châtillon-sur-Chalaronne", "01400"),
            ("Pont-de-Vaux", "01190"),
        ],
    ),
    (
        "OYO",
        &[
            ("Oyonnax", "01100"),
            ("Oyonnax", "01100"),
            ("Oyonnax", "01100"),
            ("Bellignat", "01100"),
            ("Arbent", "01100"),
            ("Nantua", "01130"),
            ("Montréal-la-Cluse", "01460"),
            ("Valserhône", "01200"),
            ("Izernore", "01580"),
            ("Hauteville-Lompnes", "01110"),
            ("Saint-Genis-Pouilly", "01630"),
            ("Gex", "01170"),
        ],
    ),
    (
        "AMB",
        &[
            ("Ambérieu-en-Bugey", "01500"),
            ("Ambérieu-en-Bugey", "01500"),
            ("Meximieux", "01800"),
            ("Lagnieu", "01150"),
            ("Saint-Rambert-en-Bugey", "01230"),
            ("Belley", "01300"),
            ("Montluel", "01120"),
            ("Miribel", "01700"),
            ("Dagneux", "01120"),
            ("Villars-les-Dombes", "01330"),
            ("Trévoux", "01600"),
            ("Loyettes", "01360"),
        ],
    ),
    (
        "MUL",
        &[
            ("Mulhouse", "68100"),
            ("Mulhouse", "68200"),
            ("Mulhouse", "68100"),
            ("Illzach", "68110"),
            ("Wittenheim", "68270"),
            ("Riedisheim", "68400"),
            ("Kingersheim", "68260"),
            ("Rixheim", "68170"),
            ("Saint-Louis", "68300"),
            ("Pfastatt", "68120"),
            ("Habsheim", "68440"),
            ("Altkirch", "68130"),
            ("Hégenheim", "68220"),
        ],
    ),
    (
        "COL",
        &[
            ("Colmar", "68000"),
            ("Colmar", "68000"),
            ("Guebwiller", "68500"),
            ("Soultz-Haut-Rhin", "68360"),
            ("Wintzenheim", "68920"),
            ("Horbourg-Wihr", "68180"),
            ("Ingersheim", "68040"),
            ("Munster", "68140"),
            ("Turckheim", "68230"),
            ("Ensisheim", "68190"),
            ("Cernay", "68700"),
            ("Thann", "68800"),
            ("Rouffach", "68250"),
            ("Sainte-Marie-aux-Mines", "68160"),
        ],
    ),
];

/// Names of residences (groups of buildings).
#[rustfmt::skip]
pub const RESIDENCES: &[&str] = &[
    "Les Tilleuls", "Le Clos Fleuri", "Les Hauts de Bresse", "La Roseraie", "Le Parc",
    "Les Vergers", "Bellevue", "Les Érables", "Le Belvédère", "Les Cèdres", "La Source",
    "Les Alouettes", "Le Mail", "Les Coteaux", "La Chênaie", "Les Platanes",
];

/// Courts, per sector code (juge des contentieux de la protection).
pub const COURTS: &[(&str, &str)] = &[
    ("BOU", "Tribunal judiciaire de Bourg-en-Bresse (JCP)"),
    ("OYO", "Tribunal de proximité de Nantua (JCP)"),
    ("AMB", "Tribunal judiciaire de Belley (JCP)"),
    ("MUL", "Tribunal judiciaire de Mulhouse (JCP)"),
    ("COL", "Tribunal judiciaire de Colmar (JCP)"),
];

/// Collection agencies departed tenants' debts are handed to (fictitious names).
pub const AGENCIES: &[&str] = &[
    "Cabinet Recouvra",
    "Azur Recouvrement",
    "Contentia Services",
];

/// E-mail domains.
#[rustfmt::skip]
pub const MAIL_DOMAINS: &[&str] = &[
    "orange.fr", "gmail.com", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr", "yahoo.fr",
    "outlook.fr",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_large_enough_and_start_with_elodie_beranger() {
        assert!(FIRST_NAMES.len() >= 150, "{}", FIRST_NAMES.len());
        assert!(SURNAMES.len() >= 200, "{}", SURNAMES.len());
        assert_eq!(FIRST_NAMES[0], "Élodie");
        assert_eq!(SURNAMES[0], "Béranger");
        assert_eq!(FIRST_NAMES[FIRST_MEN], "Jérôme");
        assert_eq!(COMMUNES.len(), 5);
    }
}
