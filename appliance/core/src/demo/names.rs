//! Fictional names for the demo établissement.

pub const GIRLS: &[&str] = &[
    "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Camille", "Zoé", "Lina",
    "Sarah", "Juliette", "Anaïs", "Margaux", "Clémence", "Héloïse", "Maëlys", "Noémie",
    "Océane", "Romane", "Élise", "Agathe", "Capucine", "Salomé", "Yasmine", "Anaëlle",
];

pub const BOYS: &[&str] = &[
    "Lucas", "Hugo", "Louis", "Nathan", "Gabriel", "Jules", "Arthur", "Théo", "Raphaël",
    "Tom", "Enzo", "Mathis", "Noah", "Maël", "Sacha", "Adam", "Léo", "Baptiste", "Clément",
    "Antoine", "Timéo", "Évan", "Nolan", "Yanis", "Aurélien", "Côme",
];

pub const FAMILY: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
    "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure",
    "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
    "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
    "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas",
    "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier",
    "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre",
    "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal",
    "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq",
    "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis",
    "Charles", "Guillot", "Rivière", "Le Gall", "Guillaume", "Adam", "Rey", "Moulin",
    "Gonzalez", "Berger", "Lecomte", "Ménard", "Fleury", "Deschamps", "Carpentier",
    "Julien", "Benoît", "Paris", "Maillard", "Marchal", "Aubry", "Vasseur", "Le Roux",
    "Renault", "Jacquet", "Collet", "Prévost", "Poirier", "Charpentier", "Royer",
    "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine", "Carré", "Breton", "Rémy",
    "Schneider", "Pelletier", "D'Almeida", "Lebrun", "Marty", "Langlois", "Lévêque",
];

pub const ADULT_GIVEN: &[&str] = &[
    "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine",
    "Stéphanie", "Céline", "Aurélie", "Virginie", "Sophie", "Émilie", "Karine", "Hélène",
    "Philippe", "Stéphane", "Laurent", "Christophe", "Frédéric", "Olivier", "Nicolas",
    "Sébastien", "David", "Jérôme", "Thierry", "Éric", "Franck", "Pascal", "Benoît",
];
