//! French: what French-speaking customers write, and the brand's French voice.
//!
//! Products carry their article (`la bouilloire Aero`), so templates never put `de` or `à`
//! right before `{product}` (that would need `du`/`au`).

use super::{Bank, BrandVoice, Language, NameBank, Topic};

pub(super) const FRENCH: Language = Language {
    code: "fr",
    names: NameBank {
        given: &[
            ("Camille", ""), ("Léa", ""), ("Julien", ""), ("Nicolas", ""), ("Sophie", ""),
            ("Mathilde", ""), ("Théo", ""), ("Chloé", ""), ("Hugo", ""), ("Manon", ""),
            ("Karim", ""), ("Inès", ""), ("Yasmine", ""), ("Mehdi", ""), ("Élodie", ""),
            ("Baptiste", ""), ("Aurélie", ""), ("Thomas", ""), ("Sarah", ""), ("Lucas", ""),
            ("Nadia", ""), ("Fatou", ""), ("Pierre", ""), ("Margaux", ""), ("Gaëlle", ""),
        ],
        family: &[
            ("Martin", ""), ("Bernard", ""), ("Dubois", ""), ("Lefèvre", ""), ("Moreau", ""),
            ("Laurent", ""), ("Girard", ""), ("Roux", ""), ("Fournier", ""), ("Benali", ""),
            ("Nguyen", ""), ("Diallo", ""), ("Mercier", ""), ("Faure", ""), ("Blanc", ""),
            ("Guérin", ""), ("Chevalier", ""), ("Perrin", ""), ("Robin", ""), ("Haddad", ""),
            ("Le Goff", ""), ("Da Silva", ""),
        ],
        family_first: false,
    },
    banks: BANKS,
    nudges: &[
        "Allô ?? Il y a quelqu'un ?",
        "Toujours pas de réponse…",
        "{at} ???",
        "Ça fait {days} jours. Rien.",
        "Vu, pas de réponse. Super service 👏",
        "Je relance…",
        "Quelqu'un chez {brand} peut répondre svp",
    ],
    thanks: &[
        "Merci, c'était rapide ! 🙏",
        "Parfait, merci beaucoup !",
        "Top, merci 👍",
        "ok merci, j'attends alors",
        "Merci {brand}, c'est réglé ❤️",
        "Merci pour le retour, bonne journée",
    ],
    still_waiting: &[
        "Toujours rien…",
        "C'est ce que vous m'avez dit la semaine dernière.",
        "Réponse copier-coller, merci pour rien",
        "Je vous ai déjà écrit en privé. Pas de réponse.",
        "Ok mais QUAND ?",
        "Le suivi n'a toujours pas bougé. {track}",
    ],
    details: &[
        "Oui, c'est la commande {order}",
        "Commande {order}, au nom de {first}",
        "Voilà : {order}",
        "{order}, je vous ai aussi écrit en MP",
    ],
    joins: &[
        "Pareil pour moi !!",
        "+1, même problème",
        "Ah je ne suis pas le seul alors",
        "Idem, et pas de réponse à mes mails",
        "Je suis ce fil, même souci",
        "Pareil 😒",
    ],
    greetings: &["Bonjour,", "Bonsoir,", "Salut,", "Bonjour à l'équipe,"],
    signoffs: &[
        "Merci,\n{first}",
        "Cordialement,\n{first}",
        "Merci d'avance !",
        "Bonne journée",
    ],
    products: &[
        "le sac à dos Trail 2",
        "la bouilloire Aero",
        "le sweat Nimbus",
        "le casque Pulse",
        "la poêle en fonte",
        "la lampe Luma",
        "la paire de baskets Drift",
        "le ciré enfant",
        "la montre Orbit",
        "la housse de couette en lin",
    ],
    cities: &["Lyon", "Bordeaux", "Lille", "Nantes", "Toulouse", "Bruxelles", "Montréal", "Rennes"],
    prices: &["49,90 €", "129 €", "35 €", "74,99 €", "19,99 €", "210 €"],
    brand: BrandVoice {
        posts: &[
            "Nouvelle saison, nouvelles couleurs 🍂 Découvrez {product} en vert forêt.",
            "Notre magasin de {city} ouvre samedi ! Venez nous dire bonjour 👋",
            "Vente flash : -20 % sur {product} jusqu'à minuit ⚡",
            "On lit tous vos messages. Dites-nous : on fabrique quoi ensuite ?",
            "Dans les coulisses de notre atelier 🎥",
            "Info livraison : certaines commandes ont quelques jours de retard à cause des intempéries. Merci de votre patience 🙏",
            "Retour en stock pour {product}. La dernière fois, rupture en deux jours 👀",
        ],
        issue: &[
            "Bonjour {first}, désolés pour ce souci ! Pouvez-vous nous envoyer votre numéro de commande en message privé ?",
            "Merci {first}, nous avons transmis à notre équipe logistique et revenons vers vous dans la journée.",
            "Toutes nos excuses {first}. Pouvez-vous nous envoyer en MP votre numéro de commande et une photo ? On s'en occupe.",
            "Désolés pour l'attente {first}. Le remboursement a été lancé, comptez 3 à 5 jours ouvrés.",
        ],
        praise: &[
            "Merci beaucoup {first}, ça nous fait super plaisir ! On transmet à l'équipe 💛",
            "Trop contents que ça vous plaise {first} ✨",
        ],
        hours: &[
            "Bonjour {first} ! Notre magasin de {city} est ouvert du lundi au samedi de 9h à 19h, et le dimanche de 10h à 17h.",
            "Bonjour {first}, oui nous sommes ouverts les jours fériés, de 10h à 17h.",
        ],
        answer: &[
            "Bonjour {first} ! Oui, tous les détails sont sur la fiche produit. On peut vous aider pour autre chose ?",
            "Bonne question {first} ! Le réassort arrive la semaine prochaine, cliquez sur « me prévenir » sur la fiche produit.",
        ],
        escalation: &[
            "Bonjour {first}, merci pour votre message. Nous l'avons transmis au service concerné, qui vous contactera directement aujourd'hui.",
            "Bonjour {first}, nous regrettons d'en arriver là. Notre service relations clients vous appelle aujourd'hui.",
        ],
        press: &[
            "Bonjour {first}, merci pour votre message. Notre service presse revient vers vous avant votre bouclage.",
            "Bonjour {first}, merci. Quelqu'un de notre service presse vous contacte dans l'heure.",
        ],
    },
};

const BANKS: &[Bank] = &[
    Bank {
        topic: Topic::LateOrder,
        openers: &[
            "Bonjour, j'ai commandé {product} il y a {days} jours et toujours rien. Commande {order}. Vous pouvez regarder ?",
            "{at} ma commande {order} devait arriver mardi… on en est à {days} jours de retard et personne ne répond au téléphone",
            "le suivi n'a pas bougé depuis une semaine, c'est normal ?? commande {order}",
            "Colis marqué « livré » mais je n'ai rien reçu. J'ai demandé aux voisins, rien. Commande {order}",
            "C'était un cadeau d'anniversaire, l'anniv c'est demain. Je fais comment moi ? 😭",
            "Livraison express payée, {days} jours d'attente. Sérieusement {brand} ?",
            "Bonjour,\nJe n'ai toujours pas reçu ma commande {order} passée il y a {days} jours.\nPouvez-vous me dire où elle en est ?\nCordialement",
            "Troisième message. Où est ma commande {order} ???",
            "Suivi : {track}\nbloqué à « en cours d'acheminement » depuis 6 jours",
            "J'ai passé commande il y a {days} jours (n° {order}).\n\nLe mail de confirmation annonçait 2 à 3 jours ouvrés. Le suivi n'a pas bougé depuis la sortie de l'entrepôt, le chat tourne en boucle et la hotline raccroche après 20 minutes d'attente.\n\nJe ne suis pas encore énervée, juste fatiguée. Quelqu'un peut me dire où est mon colis ?",
        ],
        follow_ups: &[
            "Des nouvelles ? Toujours rien sur le suivi",
            "Le numéro c'est {order}",
            "Encore deux jours de plus…",
            "Le transporteur dit qu'il n'a jamais reçu le colis de votre part. Donc il est où ?",
            "Bon, reçu ce matin, le carton est un peu écrasé mais tout va bien 👍",
        ],
    },
    Bank {
        topic: Topic::Refund,
        openers: &[
            "J'ai renvoyé {product} il y a {days} jours, toujours pas remboursé. {price} c'est pas rien.",
            "Combien de temps pour un remboursement ? Le retour a été reçu le 3 d'après le suivi",
            "{at} commande annulée mais j'ai quand même été débité de {price}. Je veux être remboursé.",
            "Débité deux fois pour la commande {order} 😤 merci de rembourser le doublon",
            "Bonjour, je souhaite retourner {product}, ça ne me convient pas. Comment j'obtiens l'étiquette retour ?",
            "« Retours faciles » qu'ils disaient… ça fait {days} jours que j'attends mes {price}",
        ],
        follow_ups: &[
            "Ma banque ne voit toujours rien arriver.",
            "Vous aviez dit 3 à 5 jours. On en est à 9.",
            "Remboursement reçu, merci 🙏",
            "Le lien de l'étiquette retour ne marche pas : {track}",
        ],
    },
    Bank {
        topic: Topic::Damaged,
        openers: &[
            "Colis ouvert à l'instant : {product}, en morceaux. Photos : {photo}",
            "Carton arrivé complètement écrasé 😡 et le contenu est abîmé. Commande {order}",
            "Pas le bon article ! J'ai commandé {product} et j'ai reçu une coque de téléphone ?? Commande {order}",
            "Franchement la qualité a baissé. Deux semaines d'utilisation et {product} a déjà lâché",
            "Il manque une pièce dans le carton, pas de sachet de vis. Commande {order}",
            "Reçu {product} avec une grosse rayure. Pour {price} on s'attend à mieux",
        ],
        follow_ups: &[
            "D'autres photos ici {photo}",
            "Je dois le renvoyer ou vous m'en envoyez un nouveau directement ?",
            "Remplacement reçu, impeccable, merci !",
            "J'attends toujours le remplacement promis",
        ],
    },
    Bank {
        topic: Topic::Praise,
        openers: &[
            "Merci au service client {brand}, problème réglé en 10 minutes 👏",
            "Je suis fan de {product} 😍",
            "{at} franchement {product}, c'est mon meilleur achat de l'année",
            "Reçu avec un jour d'avance et super bien emballé. Merci !! ❤️",
            "Un grand merci à l'équipe du magasin de {city}, au top hier",
            "Bon, je comprends la hype maintenant 🔥",
            "trop bien 😍😍",
            "Rien à redire, parfait",
        ],
        follow_ups: &["J'en ai recommandé un pour ma sœur 😅", "Toujours aussi contente !"],
    },
    Bank {
        topic: Topic::ProductQuestion,
        openers: &[
            "Est-ce que {product} existe en d'autres couleurs ?",
            "Est-ce que {product} passe au lave-vaisselle ? Je ne trouve l'info nulle part",
            "Bonjour ! Vous allez réassortir {product} bientôt ? Ça fait des semaines que j'attends",
            "C'est quoi la garantie pour {product} ?",
            "Vous livrez en Belgique ? Et en Suisse ?",
            "Question taille : je fais du M d'habitude, vos sweats taillent petit ?",
            "Ça vaut le coup de prendre {product} quand on a l'ancien modèle ? 🤔",
        ],
        follow_ups: &["Et c'est fabriqué où ?", "Merci ! Commandé 🙂"],
    },
    Bank {
        topic: Topic::StoreHours,
        openers: &[
            "Le magasin de {city} ferme à quelle heure ce soir ?",
            "Vous êtes ouverts le 1er mai ?",
            "Le magasin de {city} est ouvert le dimanche ?",
            "Je peux retourner une commande internet en magasin à {city} ?",
            "Sur Google c'est marqué ouvert à 9h mais à 9h15 c'était fermé 😅",
        ],
        follow_ups: &["Et il y a un parking ?", "Super, à samedi alors !"],
    },
    Bank {
        topic: Topic::Checkout,
        openers: &[
            "Le code promo BIENVENUE10 est « invalide » au moment de payer ?",
            "Le paiement échoue sur l'appli, ma carte marche partout ailleurs",
            "Impossible de me connecter, l'email de réinitialisation n'arrive jamais",
            "On m'a compté la livraison alors qu'elle est gratuite à partir de {price}",
            "3 essais de commande, erreur 500 à chaque fois 🙃",
        ],
        follow_ups: &[
            "Essayé sur ordi, même erreur",
            "Rien dans les spams non plus",
        ],
    },
    Bank {
        topic: Topic::Troll,
        openers: &[
            "mdr qui achète encore chez {brand}",
            "{brand} = arnaque, tout le monde le sait",
            "personne n'a demandé",
            "je parie que ce commentaire va être supprimé",
            "encore une pub pour des trucs fabriqués on sait pas où 🤡",
        ],
        follow_ups: &["rien à répondre hein", "cheh"],
    },
    Bank {
        topic: Topic::Insult,
        openers: &[
            "Bande d'incapables 🤡",
            "Service client de m*rde, vous êtes des escrocs",
            "Celui qui gère ce compte devrait être viré",
            "Entreprise minable, gens minables.",
            "VOUS ÊTES DES GUIGNOLS.",
        ],
        follow_ups: &["même pas d'excuses, évidemment", "guignols"],
    },
    Bank {
        topic: Topic::Spam,
        openers: &[
            "💰 J'ai gagné 8000€ en 1 semaine grâce à ce trader, contactez-le sur WhatsApp +33 6 00 00 00 00",
            "Achetez 10 000 abonnés réels 💯 pas cher 👉 https://abonnes-pas-chers.example",
            "Félicitations ! Vous avez gagné un bon d'achat de 500€ 🎁 https://cadeau-gratuit.example/gagnant",
            "Envie d'arrondir vos fins de mois ? 💸 Travail à domicile, écrivez-moi",
        ],
        follow_ups: &[],
    },
    Bank {
        topic: Topic::LegalThreat,
        openers: &[
            "Sans remboursement d'ici vendredi, mon avocat prendra le relais. Commande {order}.",
            "J'ai contacté mon avocat. Vous allez avoir de ses nouvelles.",
            "Dernier message avant la mise en demeure. {price}, {days} jours, aucune réponse.",
            "Je saisis la DGCCRF et le tribunal judiciaire. Vous l'aurez cherché.",
            "Votre produit a pris feu dans ma cuisine. J'ai des photos, mon avocat est au courant. {photo}",
        ],
        follow_ups: &[
            "Mon avocat vous contactera.",
            "Toujours rien. Le courrier recommandé part demain.",
        ],
    },
    Bank {
        topic: Topic::Journalist,
        openers: &[
            "Bonjour, {first}, journaliste pour {outlet}. Nous préparons un article sur les retards de livraison chez {brand}. Une réaction de votre service presse avant 17h ?",
            "Bonjour, je travaille pour {outlet} sur un possible rappel concernant {product}. {brand} souhaite-t-il réagir ? Bouclage ce soir.",
        ],
        follow_ups: &[
            "Je me permets de relancer, l'article sort demain matin.",
            "Je peux aussi vous appeler si c'est plus simple.",
        ],
    },
    Bank {
        topic: Topic::Influencer,
        openers: &[
            "Unboxing des nouveautés {at} 📦✨ avis complet sur ma chaîne 👀",
            "{at} coucou ! Ma communauté adore vos produits, on fait une collab pour le lancement ? 💌",
            "Pas sponso : {product} de chez {brand}, c'est une dinguerie. Lien en bio 🔗",
            "Bon… {at} m'a envoyé {product} et j'ai des choses à dire 😬 vidéo demain",
        ],
        follow_ups: &[
            "Ma commu a plein de questions, on peut s'appeler ?",
            "La vidéo est en ligne ! Les commentaires sont… épicés 🌶️",
        ],
    },
];
