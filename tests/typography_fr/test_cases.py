"""The convention, rule by rule: one row per case, source HTML → expected HTML.

``\\u202f`` is the narrow no-break space, ``\\u00a0`` the no-break space.
"""

import pytest

from plugins.typography_fr import typeset, typeset_text

NN = "\u202f"
NB = "\u00a0"

CASES = [
    # 1. before ; ! ?
    ("<p>Bonjour!</p>", f"<p>Bonjour{NN}!</p>"),
    ("<p>Vraiment?</p>", f"<p>Vraiment{NN}?</p>"),
    ("<p>Ah; bon.</p>", f"<p>Ah{NN}; bon.</p>"),
    ("<p>Bonjour !</p>", f"<p>Bonjour{NN}!</p>"),
    ("<p>Bonjour\t\n!</p>", f"<p>Bonjour{NN}!</p>"),
    ("<p>Bonjour&nbsp;!</p>", f"<p>Bonjour{NN}!</p>"),
    ("<p>Bonjour&#8239;!</p>", f"<p>Bonjour{NN}!</p>"),
    ("<p>Bonjour&thinsp;?</p>", f"<p>Bonjour{NN}?</p>"),
    (f"<p>Bonjour{NB}{NN} ?</p>", f"<p>Bonjour{NN}?</p>"),
    ("<p>Quoi?!</p>", f"<p>Quoi{NN}?!</p>"),
    ("<p>Quoi ?!</p>", f"<p>Quoi{NN}?!</p>"),
    ("<p>Quoi ? !</p>", f"<p>Quoi{NN}?!</p>"),
    ("<p>Non!!!</p>", f"<p>Non{NN}!!!</p>"),
    ("<p>(vraiment?)</p>", f"<p>(vraiment{NN}?)</p>"),
    ("<p>«\u202fOui\u202f»!</p>", f"<p>«{NN}Oui{NN}»{NN}!</p>"),
    ("<p>(oui)?</p>", f"<p>(oui){NN}?</p>"),
    ("<p>Et alors…?</p>", f"<p>Et alors…{NN}?</p>"),
    ('<p>Il dit "quoi?"</p>', f"<p>Il dit «{NN}quoi{NN}?{NN}»</p>"),
    ("<p>Le 12?</p>", f"<p>Le 12{NN}?</p>"),
    ("<p>Super ;)</p>", "<p>Super ;)</p>"),
    ("<p>Super;)</p>", "<p>Super;)</p>"),
    ("<p>a?b</p>", "<p>a?b</p>"),
    ("<p>? non</p>", "<p>? non</p>"),
    ('<p><a href="/guide/">guide</a>?</p>', f'<p><a href="/guide/">guide</a>{NN}?</p>'),
    ("<p><strong>simple !</strong></p>", f"<p><strong>simple{NN}!</strong></p>"),
    ("<p><strong>simple</strong> !</p>", f"<p><strong>simple</strong>{NN}!</p>"),
    ("<p><em>guide </em>?</p>", f"<p><em>guide</em>{NN}?</p>"),
    ("<p>Vu<br>?</p>", f"<p>Vu<br>{NN}?</p>"),
    ("<p>Oui !<br>Non !</p>", f"<p>Oui{NN}!<br>Non{NN}!</p>"),
    ("<p>Pin it!</p>", f"<p>Pin it{NN}!</p>"),
    # 2. before :
    ("<p>Note:</p>", f"<p>Note{NB}:</p>"),
    ("<p>Note: rien</p>", f"<p>Note{NB}: rien</p>"),
    ("<p>Note : rien</p>", f"<p>Note{NB}: rien</p>"),
    (f"<p>Note{NN}: rien</p>", f"<p>Note{NB}: rien</p>"),
    ("<p>Note&nbsp;: rien</p>", f"<p>Note{NB}: rien</p>"),
    ("<p><em>Note</em>: rien</p>", f"<p><em>Note</em>{NB}: rien</p>"),
    ("<p>«Note:»</p>", f"<p>«{NN}Note{NB}:{NN}»</p>"),
    ("<p>Il a dit:«oui»</p>", f"<p>Il a dit:«{NN}oui{NN}»</p>"),
    ("<p>Note:<br>rien</p>", f"<p>Note{NB}:<br>rien</p>"),
    ("<p>à 10:14 précises</p>", "<p>à 10:14 précises</p>"),
    ("<p>un ratio 3:1</p>", "<p>un ratio 3:1</p>"),
    ("<p>Merci :)</p>", "<p>Merci :)</p>"),
    ("<p>Merci :D</p>", "<p>Merci :D</p>"),
    ("<p>Merci :-)</p>", "<p>Merci :-)</p>"),
    ("<p>Merci:)</p>", "<p>Merci:)</p>"),
    ("<p>Merci ;-)</p>", "<p>Merci ;-)</p>"),
    # 3. inside « »
    ("<p>«Bonjour»</p>", f"<p>«{NN}Bonjour{NN}»</p>"),
    ("<p>« Bonjour »</p>", f"<p>«{NN}Bonjour{NN}»</p>"),
    ("<p>&laquo;&nbsp;Bonjour&nbsp;&raquo;</p>", f"<p>«{NN}Bonjour{NN}»</p>"),
    ("<p>«\n  Bonjour\n»</p>", f"<p>«{NN}Bonjour{NN}»</p>"),
    (
        "<p>« <strong>Zéro friction</strong> »</p>",
        f"<p>«{NN}<strong>Zéro friction</strong>{NN}»</p>",
    ),
    (
        "<p>«<strong> Zéro friction </strong>»</p>",
        f"<p>«{NN}<strong>Zéro friction</strong>{NN}»</p>",
    ),
    ("<p>« <code>x</code> »</p>", f"<p>«{NN}<code>x</code>{NN}»</p>"),
    # 4. straight quotes
    ('<p>Il dit "bonjour".</p>', f"<p>Il dit «{NN}bonjour{NN}».</p>"),
    ('<p>"Bonjour"</p>', f"<p>«{NN}Bonjour{NN}»</p>"),
    ('<p>"<em>Bonjour</em>"</p>', f"<p>«{NN}<em>Bonjour</em>{NN}»</p>"),
    ('<p><em>"Bonjour"</em></p>', f"<p><em>«{NN}Bonjour{NN}»</em></p>"),
    ('<p>"Bonjour,\nmadame"</p>', f"<p>«{NN}Bonjour,\nmadame{NN}»</p>"),
    ('<p>("oui")</p>', f"<p>(«{NN}oui{NN}»)</p>"),
    ('<p>[“x”] — "oui"</p>', f"<p>[“x”] — «{NN}oui{NN}»</p>"),
    ('<p>" Bonjour "</p>', f"<p>«{NN}Bonjour{NN}»</p>"),
    ('<p>« Il a dit "non" »</p>', f"<p>«{NN}Il a dit “non”{NN}»</p>"),
    ('<p>"Il a dit "non" hier"</p>', f"<p>«{NN}Il a dit “non” hier{NN}»</p>"),
    ('<p>Le "Top 10" des clients</p>', f"<p>Le «{NN}Top 10{NN}» des clients</p>"),
    ("<p>En 2'30\" chrono</p>", "<p>En 2'30\" chrono</p>"),
    ('<p>Un écran 27" suffit</p>', '<p>Un écran 27" suffit</p>'),
    ('<p>"Record : 2\'30"</p>', f'<p>"Record{NB}: 2\'30"</p>'),
    ('<p>Un seul " guillemet</p>', '<p>Un seul " guillemet</p>'),
    ('<p>"ouvert</p><p>fermé"</p>', '<p>"ouvert</p><p>fermé"</p>'),
    ('<li>"a"</li><li>"b</li>', f'<li>«{NN}a{NN}»</li><li>"b</li>'),
    ('<p>"<code>x</code>"</p>', f"<p>«{NN}<code>x</code>{NN}»</p>"),
    ('<p><code>"x"</code></p>', '<p><code>"x"</code></p>'),
    ("<p>&quot;x&quot;</p>", "<p>&quot;x&quot;</p>"),
    # 5. apostrophe
    ("<p>L'été</p>", "<p>L’été</p>"),
    ("<p>L'ÉTÉ</p>", "<p>L’ÉTÉ</p>"),
    ("<p>aujourd'hui</p>", "<p>aujourd’hui</p>"),
    ('<p>qu\'"avoir le sens"</p>', "<p>qu’«\u202favoir le sens\u202f»</p>"),
    ("<p>qu'« avoir »</p>", "<p>qu’«\u202favoir\u202f»</p>"),
    ("<p>L'Oeil</p>", "<p>L’Oeil</p>"),
    ("<p>l'<em>usage</em></p>", "<p>l’<em>usage</em></p>"),
    ("<p>l&rsquo;usage</p>", "<p>l’usage</p>"),
    ("<p>'citation'</p>", "<p>'citation'</p>"),
    ("<p>les années '90</p>", "<p>les années '90</p>"),
    ("<p>l&#39;usage</p>", "<p>l&#39;usage</p>"),
    ("<p>l'&eacute;t&eacute;</p>", "<p>l’&eacute;t&eacute;</p>"),
    # 6. ellipsis
    ("<p>Et puis...</p>", "<p>Et puis…</p>"),
    ("<p>Et puis&hellip;</p>", "<p>Et puis…</p>"),
    ("<p>Il dit [...] non.</p>", "<p>Il dit […] non.</p>"),
    ("<p>Deux.. ou quatre....</p>", "<p>Deux.. ou quatre....</p>"),
    # 7. dashes
    ("<p>Le client -- roi -- décide.</p>", "<p>Le client — roi — décide.</p>"),
    ("<p>Paris - Lyon</p>", "<p>Paris – Lyon</p>"),
    ("<p>e-commerce, check-list, Covid-19</p>", "<p>e-commerce, check-list, Covid-19</p>"),
    ("<p>-5 degrés, a--b, a - </p>", "<p>-5 degrés, a--b, a – </p>"),
    ("<p>- liste</p>", "<p>- liste</p>"),
    ("<p>a --- b</p>", "<p>a --- b</p>"),
    # 8. numbers and units
    ("<p>53% des clients</p>", f"<p>53{NB}% des clients</p>"),
    ("<p>53 % des clients</p>", f"<p>53{NB}% des clients</p>"),
    ("<p>4,5‰, 20€, 5$, 3£</p>", f"<p>4,5{NB}‰, 20{NB}€, 5{NB}$, 3{NB}£</p>"),
    ("<p><strong>53</strong>%</p>", f"<p><strong>53</strong>{NB}%</p>"),
    (
        "<p>12 km, 3 kg, 5 Mo, 2 Go, 1 To, 8 ko</p>",
        "<p>12\u00a0km, 3\u00a0kg, 5\u00a0Mo, 2\u00a0Go, 1\u00a0To, 8\u00a0ko</p>",
    ),
    ("<p>10 min, 200 ms, 2 h</p>", f"<p>10{NB}min, 200{NB}ms, 2{NB}h</p>"),
    (
        "<p>3 millions, 2 milliards, 4 milliers</p>",
        f"<p>3{NB}millions, 2{NB}milliards, 4{NB}milliers</p>",
    ),
    ("<p>1 million</p>", f"<p>1{NB}million</p>"),
    ("<p>24h/24 et 7j/7, 10km</p>", "<p>24h/24 et 7j/7, 10km</p>"),
    ("<p>à 18 h 30</p>", f"<p>à 18{NB}h{NB}30</p>"),
    ("<p>en 3 minutes, 2 heures, 5 mois</p>", "<p>en 3 minutes, 2 heures, 5 mois</p>"),
    # 9. thousands
    ("<p>100 000 clients</p>", f"<p>100{NN}000 clients</p>"),
    ("<p>1 250 euros</p>", f"<p>1{NN}250 euros</p>"),
    ("<p>1&nbsp;250 et 3 000 000</p>", f"<p>1{NN}250 et 3{NN}000{NN}000</p>"),
    ("<p>12 500 €</p>", f"<p>12{NN}500{NB}€</p>"),
    ("<p>1000, 2024, 75002 Paris, n° 123456</p>", "<p>1000, 2024, 75002 Paris, n° 123456</p>"),
    ("<p>note de 4,5 sur 5</p>", "<p>note de 4,5 sur 5</p>"),
    ("<p>en 2024 500 clients</p>", "<p>en 2024 500 clients</p>"),
    ("<p>01 23 45 67 89</p>", "<p>01 23 45 67 89</p>"),
    # 10. ordinals
    ("<p>le 1er mai</p>", "<p>le 1<sup>er</sup> mai</p>"),
    ("<p>la 1re fois</p>", "<p>la 1<sup>re</sup> fois</p>"),
    ("<p>les 1ers, les 1res</p>", "<p>les 1<sup>ers</sup>, les 1<sup>res</sup></p>"),
    ("<p>le 2e, les 2es</p>", "<p>le 2<sup>e</sup>, les 2<sup>es</sup></p>"),
    (
        "<p>le 3ème, la 1ère, le 4eme</p>",
        "<p>le 3<sup>e</sup>, la 1<sup>re</sup>, le 4<sup>e</sup></p>",
    ),
    ("<p>les 3èmes</p>", "<p>les 3<sup>es</sup></p>"),
    ("<p>le XIXe siècle, le XXIème</p>", "<p>le XIX<sup>e</sup> siècle, le XXI<sup>e</sup></p>"),
    (
        "<p>François Ier, la Ve République</p>",
        "<p>François I<sup>er</sup>, la V<sup>e</sup> République</p>",
    ),
    (
        "<p>Ce siècle, Le Monde, De Gaulle, Me Dupont</p>",
        "<p>Ce siècle, Le Monde, De Gaulle, Me Dupont</p>",
    ),
    ("<p>Les Ces Des Mes Ire</p>", "<p>Les Ces Des Mes Ire</p>"),
    ("<p>le 1<sup>er</sup> mai</p>", "<p>le 1<sup>er</sup> mai</p>"),
    ("<p>B2B, SNCF, 3e3e3e</p>", "<p>B2B, SNCF, 3e3e3e</p>"),
    # 11. abbreviations
    ("<p>M. Dupont</p>", f"<p>M.{NB}Dupont</p>"),
    ("<p>MM. Dupont et Durand</p>", f"<p>MM.{NB}Dupont et Durand</p>"),
    ("<p>Mme Durand, Mmes Roux</p>", f"<p>Mme{NB}Durand, Mmes{NB}Roux</p>"),
    ("<p>Mlle Roux, Mlles Roux</p>", f"<p>Mlle{NB}Roux, Mlles{NB}Roux</p>"),
    ("<p>Dr Martin, Pr Élise</p>", f"<p>Dr{NB}Martin, Pr{NB}Élise</p>"),
    ("<p>M. <em>Dupont</em></p>", f"<p>M.{NB}<em>Dupont</em></p>"),
    ("<p>M. le maire, Mme la directrice</p>", "<p>M. le maire, Mme la directrice</p>"),
    # 13. output: entities decoded, &amp; &lt; &gt; kept, no span
    ("<p>A&nbsp;B&#8239;C&thinsp;D</p>", f"<p>A{NB}B{NN}C\u2009D</p>"),
    ("<p>&#x202F;&#160;&#xa0;</p>", f"<p>{NN}{NB}{NB}</p>"),
    ("<p>R&amp;D &lt;b&gt; &copy; &#233;</p>", "<p>R&amp;D &lt;b&gt; &copy; &#233;</p>"),
    ("<p>R&amp;D ?</p>", f"<p>R&amp;D{NN}?</p>"),
    ("<p>&amp;?</p>", "<p>&amp;?</p>"),
    ("<p>caf&eacute;?</p>", f"<p>caf&eacute;{NN}?</p>"),
    ("<p>B2B et SNCF &amp; co</p>", "<p>B2B et SNCF &amp; co</p>"),
    # protected elements
    ("<p><code>a ? b: \"c\" -- 'd' ...</code></p>", "<p><code>a ? b: \"c\" -- 'd' ...</code></p>"),
    ("<p>Tapez <kbd>Ctrl + ?</kbd>!</p>", f"<p>Tapez <kbd>Ctrl + ?</kbd>{NN}!</p>"),
    (
        "<p><samp>Erreur !</samp> <var>x : y</var> <tt>a ; b</tt></p>",
        "<p><samp>Erreur !</samp> <var>x : y</var> <tt>a ; b</tt></p>",
    ),
    (
        '<div class="highlight"><pre><span>print("a ? b")</span>\n</pre></div>',
        '<div class="highlight"><pre><span>print("a ? b")</span>\n</pre></div>',
    ),
    (
        "<pre><code>l'été ... 53%</code></pre><p>l'été</p>",
        "<pre><code>l'été ... 53%</code></pre><p>l’été</p>",
    ),
    (
        '<script>if (a<b && c) { x = "y ?"; }</script>',
        '<script>if (a<b && c) { x = "y ?"; }</script>',
    ),
    ('<style>a:hover { content: "!" }</style>', '<style>a:hover { content: "!" }</style>'),
    ("<p><textarea>Quoi ?</textarea></p>", "<p><textarea>Quoi ?</textarea></p>"),
    ("<p><math><mi>a</mi><mo>:</mo></math></p>", "<p><math><mi>a</mi><mo>:</mo></math></p>"),
    ("<p><svg><text>Bonjour !</text></svg></p>", "<p><svg><text>Bonjour !</text></svg></p>"),
    ("<p><code>a</code> <code>b</code>?</p>", f"<p><code>a</code> <code>b</code>{NN}?</p>"),
    # attributes and comments
    ('<p title="Bonjour ! « x » l\'été">a</p>', '<p title="Bonjour ! « x » l\'été">a</p>'),
    ('<img alt="Note: 53% ..." src="a.png">', '<img alt="Note: 53% ..." src="a.png">'),
    ('<a href="/a?b=1&amp;c=2" id="x:y">lien</a>', '<a href="/a?b=1&amp;c=2" id="x:y">lien</a>'),
    ('<a title="a > b">l\'été</a>', '<a title="a > b">l’été</a>'),
    ("<p>Oui<!-- Quoi ? l'été ... --> !</p>", f"<p>Oui<!-- Quoi ? l'été ... -->{NN}!</p>"),
    # URLs and e-mails
    (
        "<p>Voir https://example.com/a?b=1&amp;c=d:e !</p>",
        f"<p>Voir https://example.com/a?b=1&amp;c=d:e{NN}!</p>",
    ),
    ("<p>Voir www.example.com/page?x=1.</p>", "<p>Voir www.example.com/page?x=1.</p>"),
    ("<p>Sur www.example.com?</p>", f"<p>Sur www.example.com{NN}?</p>"),
    ("<p>Écrivez à bonjour@example.fr!</p>", f"<p>Écrivez à bonjour@example.fr{NN}!</p>"),
    (
        "<p>(voir https://fr.wikipedia.org/wiki/A_(b))</p>",
        "<p>(voir https://fr.wikipedia.org/wiki/A_(b))</p>",
    ),
    ("<p>mailto:x@y.fr</p>", "<p>mailto:x@y.fr</p>"),
    ("<p>http://a.fr/l'été...</p>", "<p>http://a.fr/l'été…</p>"),
    # lang
    ('<p><em lang="en">Pin it!</em></p>', '<p><em lang="en">Pin it!</em></p>'),
    ('<p lang="en">"Hello": it\'s 53%!</p>', '<p lang="en">"Hello": it\'s 53%!</p>'),
    (
        '<div lang="en"><p>Hi!</p><div><p lang="fr">Oui!</p></div></div><p>Non!</p>',
        f'<div lang="en"><p>Hi!</p><div><p lang="fr">Oui!</p></div></div><p>Non{NN}!</p>',
    ),
    ('<p lang="fr-CA">Oui!</p>', f'<p lang="fr-CA">Oui{NN}!</p>'),
    ('<p><span lang="en">Pin it</span>!</p>', f'<p><span lang="en">Pin it</span>{NN}!</p>'),
    ('<p xml:lang="de">Ja!</p>', '<p xml:lang="de">Ja!</p>'),
    (
        '<p><a hreflang="en" href="/x">Oui</a>!</p>',
        f'<p><a hreflang="en" href="/x">Oui</a>{NN}!</p>',
    ),
    # blocks
    ("<ul><li>Oui!</li><li>Non:</li></ul>", f"<ul><li>Oui{NN}!</li><li>Non{NB}:</li></ul>"),
    ("<h2>Pourquoi?</h2>", f"<h2>Pourquoi{NN}?</h2>"),
    (
        '<table><tr><td>53%</td><td>"a"</td></tr></table>',
        f"<table><tr><td>53{NB}%</td><td>«{NN}a{NN}»</td></tr></table>",
    ),
    ('<blockquote><p>"Oui"</p></blockquote>', f"<blockquote><p>«{NN}Oui{NN}»</p></blockquote>"),
    (
        "<figure><img src=a.png><figcaption>L'été!</figcaption></figure>",
        f"<figure><img src=a.png><figcaption>L’été{NN}!</figcaption></figure>",
    ),
    (
        '<dl><dt>Terme:</dt><dd>"Déf"</dd></dl>',
        f"<dl><dt>Terme{NB}:</dt><dd>«{NN}Déf{NN}»</dd></dl>",
    ),
    # plain text
    ('L\'été: "le 1er"?', f"L’été{NB}: «{NN}le 1<sup>er</sup>{NN}»{NN}?"),
    ("", ""),
    ("a < b ?", f"a < b{NN}?"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_typeset(source, expected):
    assert typeset(source) == expected


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_typeset_is_idempotent_on_every_case(source, expected):
    assert typeset(expected) == expected


TEXT_CASES = [
    ("Le XIXe siècle: l'essentiel?", f"Le XIXe siècle{NB}: l’essentiel{NN}?"),
    ('R&D "B2B"', f"R&D «{NN}B2B{NN}»"),
    ("Le 1er client", "Le 1er client"),
]


@pytest.mark.parametrize(("source", "expected"), TEXT_CASES)
def test_typeset_text_adds_no_markup(source, expected):
    assert typeset_text(source) == expected


RULE_CASES = [
    ("punctuation", "<p>Oui!</p>"),
    ("colon", "<p>Note: x</p>"),
    ("guillemets", "<p>«x»</p>"),
    ("quotes", '<p>"x"</p>'),
    ("apostrophes", "<p>l'été</p>"),
    ("ellipsis", "<p>et...</p>"),
    ("dashes", "<p>a -- b</p>"),
    ("units", "<p>5 km</p>"),
    ("thousands", "<p>1 000</p>"),
    ("ordinals", "<p>1er</p>"),
    ("abbreviations", "<p>M. Dupont</p>"),
    ("entities", "<p>a&nbsp;b</p>"),
]


@pytest.mark.parametrize(("rule", "source"), RULE_CASES)
def test_each_rule_can_be_turned_off(rule, source):
    from plugins.typography_fr import RULES

    assert typeset(source, set(RULES) - {rule}) == source
    assert typeset(source, {rule}) != source


def test_unknown_rule_given_to_typeset_is_an_error():
    with pytest.raises(ValueError, match="ordinal"):
        typeset("x", {"ordinal"})
