//! The sparse languages: a handful of customers write in Japanese, Chinese, Korean, Spanish,
//! German or Arabic. Each has only a few topics and short reaction lists; what is missing
//! falls back to English, as it does in a real inbox (the brand answers in English).

use super::{Bank, Language, NameBank, Topic, EMPTY_VOICE};

const SPARSE: Language = Language {
    code: "",
    names: NameBank {
        given: &[],
        family: &[],
        family_first: false,
    },
    banks: &[],
    nudges: &[],
    thanks: &[],
    still_waiting: &[],
    details: &[],
    joins: &[],
    greetings: &[],
    signoffs: &[],
    products: &[],
    cities: &[],
    prices: &[],
    brand: EMPTY_VOICE,
};

pub(super) const JAPANESE: Language = Language {
    code: "ja",
    names: NameBank {
        given: &[
            ("由紀", "yuki"),
            ("健太", "kenta"),
            ("さくら", "sakura"),
            ("翔", "sho"),
        ],
        family: &[
            ("田中", "tanaka"),
            ("佐藤", "sato"),
            ("鈴木", "suzuki"),
            ("高橋", "takahashi"),
        ],
        family_first: true,
    },
    banks: &[
        Bank {
            topic: Topic::LateOrder,
            openers: &[
                "注文した{product}がまだ届きません。注文番号は{order}です。確認をお願いします🙏",
            ],
            follow_ups: &["まだ届いていません…"],
        },
        Bank {
            topic: Topic::Praise,
            openers: &[
                "{product}最高です！買ってよかった😊",
                "{at} 素敵な商品をありがとうございます✨",
            ],
            follow_ups: &[],
        },
        Bank {
            topic: Topic::ProductQuestion,
            openers: &["{product}は日本に発送できますか？"],
            follow_ups: &[],
        },
    ],
    nudges: &["返信お待ちしています"],
    thanks: &["ありがとうございます！🙏"],
    still_waiting: &["まだ届いていません…"],
    products: &[
        "Aeroケトル",
        "Trail 2 バックパック",
        "Orbitスマートウォッチ",
    ],
    prices: &["¥7,800"],
    ..SPARSE
};

pub(super) const CHINESE: Language = Language {
    code: "zh",
    names: NameBank {
        given: &[("芳", "fang"), ("伟", "wei"), ("静", "jing"), ("磊", "lei")],
        family: &[
            ("王", "wang"),
            ("李", "li"),
            ("张", "zhang"),
            ("陈", "chen"),
        ],
        family_first: true,
    },
    banks: &[
        Bank {
            topic: Topic::LateOrder,
            openers: &["我的订单{order}已经{days}天了还没到，请帮忙查一下"],
            follow_ups: &["还是没有收到…"],
        },
        Bank {
            topic: Topic::Praise,
            openers: &["{product}真的很好用👍"],
            follow_ups: &[],
        },
        Bank {
            topic: Topic::ProductQuestion,
            openers: &["请问{product}有其他颜色吗？"],
            follow_ups: &[],
        },
    ],
    nudges: &["有人吗？"],
    thanks: &["谢谢！"],
    still_waiting: &["还是没有收到…"],
    products: &["Aero 电水壶", "Trail 2 双肩包", "Pulse 耳机"],
    prices: &["¥399"],
    ..SPARSE
};

pub(super) const KOREAN: Language = Language {
    code: "ko",
    names: NameBank {
        given: &[("지민", "jimin"), ("서연", "seoyeon"), ("민준", "minjun")],
        family: &[("김", "kim"), ("이", "lee"), ("박", "park")],
        family_first: true,
    },
    banks: &[
        Bank {
            topic: Topic::Praise,
            openers: &["{product} 너무 좋아요 😍"],
            follow_ups: &[],
        },
        Bank {
            topic: Topic::ProductQuestion,
            openers: &["{product} 한국으로 배송 되나요?"],
            follow_ups: &[],
        },
    ],
    thanks: &["감사합니다! 🙏"],
    products: &["Aero 전기포트", "Orbit 스마트워치"],
    ..SPARSE
};

pub(super) const SPANISH: Language = Language {
    code: "es",
    names: NameBank {
        given: &[("Lucía", ""), ("Javier", ""), ("Sofía", ""), ("Mateo", "")],
        family: &[
            ("García", ""),
            ("Fernández", ""),
            ("López", ""),
            ("Martínez", ""),
        ],
        family_first: false,
    },
    banks: &[
        Bank {
            topic: Topic::LateOrder,
            openers: &["Hola, mi pedido {order} lleva {days} días de retraso. ¿Me pueden ayudar?"],
            follow_ups: &["¿Alguna novedad?"],
        },
        Bank {
            topic: Topic::Refund,
            openers: &[
                "Sigo esperando el reembolso de {price}. Ya devolví el {product} hace {days} días.",
            ],
            follow_ups: &["Nada todavía…"],
        },
        Bank {
            topic: Topic::Praise,
            openers: &[
                "Me encanta mi {product} 😍",
                "¡Gracias {brand}! Llegó antes de lo previsto",
            ],
            follow_ups: &[],
        },
        Bank {
            topic: Topic::ProductQuestion,
            openers: &["¿Hacen envíos a México?"],
            follow_ups: &[],
        },
    ],
    nudges: &["¿Hola? ¿Alguien?"],
    thanks: &["¡Gracias! 🙏", "Perfecto, muchas gracias"],
    still_waiting: &["Sigo sin recibir nada…"],
    products: &["hervidor Aero", "mochila Trail 2", "reloj Orbit"],
    prices: &["49,90 €", "129 €"],
    ..SPARSE
};

pub(super) const GERMAN: Language = Language {
    code: "de",
    names: NameBank {
        given: &[("Jonas", ""), ("Lena", ""), ("Felix", ""), ("Anna", "")],
        family: &[
            ("Müller", ""),
            ("Schmidt", ""),
            ("Weber", ""),
            ("Schäfer", ""),
        ],
        family_first: false,
    },
    banks: &[
        Bank {
            topic: Topic::LateOrder,
            openers: &["Meine Bestellung {order} ist seit {days} Tagen unterwegs. Wo bleibt sie?"],
            follow_ups: &["Immer noch nichts."],
        },
        Bank {
            topic: Topic::Damaged,
            openers: &["Der {product} kam kaputt an. Bestellung {order}. Fotos: {photo}"],
            follow_ups: &[],
        },
        Bank {
            topic: Topic::Praise,
            openers: &["Super Service, danke! 👍"],
            follow_ups: &[],
        },
    ],
    nudges: &["Hallo? Bekomme ich noch eine Antwort?"],
    thanks: &["Danke für die schnelle Antwort!"],
    still_waiting: &["Immer noch nichts."],
    products: &["Wasserkocher Aero", "Rucksack Trail 2"],
    prices: &["49,90 €"],
    ..SPARSE
};

pub(super) const ARABIC: Language = Language {
    code: "ar",
    names: NameBank {
        given: &[("ليلى", "layla"), ("يوسف", "youssef"), ("مريم", "maryam")],
        family: &[
            ("حداد", "haddad"),
            ("منصور", "mansour"),
            ("السيد", "elsayed"),
        ],
        family_first: false,
    },
    banks: &[
        Bank {
            topic: Topic::Praise,
            openers: &["منتج رائع 👍 شكراً {brand}"],
            follow_ups: &[],
        },
        Bank {
            topic: Topic::ProductQuestion,
            openers: &["هل يتوفر {product} بألوان أخرى؟"],
            follow_ups: &[],
        },
    ],
    thanks: &["شكراً جزيلاً 🙏"],
    products: &["غلاية Aero", "حقيبة Trail 2"],
    ..SPARSE
};
