import type { Weighted } from '../random/random.js';

/*
 * Name frequency lists: surnames weighted by occurrences per 100,000 people (US Census 2010
 * surname file, top 400), given names weighted by percent of people (SSA birth-name counts,
 * all decades pooled). Written as `name:weight` text so the tables stay readable.
 */

/** Parses `name:weight name:weight …` into a weighted table. */
function parseWeighted(text: string): Weighted<string> {
  return text
    .trim()
    .split(/\s+/)
    .map((item) => {
      const at = item.lastIndexOf(':');
      return [item.slice(0, at), Number(item.slice(at + 1))] as const;
    });
}

/** Surnames by frequency. */
export const FAMILY_NAMES = parseWeighted(`
  Smith:828 Johnson:655 Williams:550 Brown:487 Jones:483 Garcia:394 Miller:382 Davis:381 Rodriguez:366
  Martinez:354 Hernandez:340 Lopez:322 Gonzalez:311 Wilson:301 Anderson:290 Thomas:289 Taylor:285
  Moore:263 Jackson:262 Martin:253 Lee:237 Perez:234 Thompson:232 White:231 Harris:214 Sanchez:213
  Clark:189 Ramirez:183 Lewis:180 Robinson:179 Walker:175 Young:160 Allen:158 King:157 Wright:155
  Scott:142 Torres:139 Nguyen:138 Hill:137 Flores:136 Green:135 Adams:133 Nelson:132 Baker:130
  Hall:129 Rivera:129 Campbell:121 Mitchell:120 Carter:118 Roberts:118 Gomez:110 Phillips:109
  Evans:108 Turner:107 Diaz:106 Parker:105 Cruz:104 Edwards:104 Collins:103 Reyes:103 Stewart:102
  Morris:100 Morales:99 Murphy:99 Cook:97 Rogers:97 Gutierrez:92 Ortiz:92 Morgan:92 Cooper:91
  Peterson:91 Bailey:90 Reed:90 Kelly:89 Howard:87 Ramos:87 Kim:86 Cox:86 Ward:85 Richardson:85
  Watson:84 Brooks:83 Chavez:83 Wood:82 James:81 Bennett:81 Gray:81 Mendoza:80 Ruiz:79 Hughes:79
  Price:78 Alvarez:78 Castillo:77 Sanders:77 Patel:77 Myers:76 Long:76 Ross:75 Foster:75 Jimenez:74
  Powell:73 Jenkins:73 Perry:72 Russell:72 Sullivan:72 Bell:71 Coleman:71 Butler:70 Henderson:70
  Barnes:69 Gonzales:69 Fisher:68 Vasquez:68 Simmons:67 Romero:67 Jordan:66 Patterson:66 Alexander:66
  Hamilton:65 Graham:65 Reynolds:64 Griffin:64 Wallace:64 Moreno:63 West:63 Cole:62 Hayes:62 Bryant:62
  Herrera:61 Gibson:61 Ellis:61 Tran:60 Medina:60 Aguilar:59 Stevens:59 Murray:59 Ford:59 Castro:58
  Marshall:58 Owens:58 Harrison:57 Fernandez:57 McDonald:57 Woods:56 Washington:56 Kennedy:56 Wells:55
  Vargas:55 Henry:55 Chen:55 Freeman:54 Webb:54 Tucker:54 Guzman:54 Burns:54 Crawford:53 Olson:53
  Simpson:53 Porter:53 Hunter:53 Gordon:52 Mendez:52 Silva:52 Shaw:52 Snyder:52 Mason:51 Dixon:51
  Munoz:51 Hunt:51 Hicks:50 Holmes:50 Palmer:50 Wagner:50 Black:50 Robertson:49 Boyd:49 Rose:49
  Stone:49 Salazar:49 Fox:49 Warren:48 Mills:48 Meyer:48 Rice:48 Schmidt:47 Garza:47 Daniels:47
  Ferguson:47 Nichols:47 Stephens:46 Soto:46 Weaver:46 Ryan:46 Gardner:46 Payne:46 Grant:46 Dunn:45
  Kelley:45 Spencer:45 Hawkins:45 Arnold:45 Pierce:45 Vazquez:44 Hansen:44 Peters:44 Santos:44 Hart:44
  Bradley:44 Knight:44 Elliott:43 Cunningham:43 Duncan:43 Armstrong:43 Hudson:43 Carroll:43 Lane:43
  Riley:43 Andrews:43 Alvarado:42 Ray:42 Delgado:42 Berry:42 Perkins:42 Hoffman:42 Johnston:42
  Matthews:42 Pena:42 Richards:42 Contreras:41 Willis:41 Carpenter:41 Lawrence:41 Sandoval:41
  Guerrero:40 George:40 Chapman:40 Rios:40 Estrada:40 Ortega:40 Watkins:40 Greene:40 Nunez:40
  Wheeler:40 Valdez:40 Harper:39 Burke:39 Larson:39 Santiago:39 Maldonado:39 Morrison:39 Franklin:39
  Carlson:38 Austin:38 Dominguez:38 Carr:38 Lawson:38 Jacobs:38 O'Brien:38 Lynch:38 Singh:37 Vega:37
  Bishop:37 Montgomery:37 Oliver:37 Jensen:37 Harvey:37 Williamson:37 Gilbert:37 Dean:37 Sims:37
  Espinoza:36 Howell:36 Li:36 Wong:36 Reid:36 Hanson:36 Le:36 McCoy:36 Garrett:36 Burton:36 Fuller:35
  Wang:35 Weber:35 Welch:35 Rojas:35 Lucas:35 Marquez:35 Fields:35 Park:35 Yang:35 Little:34 Banks:34
  Padilla:34 Day:34 Walsh:34 Bowman:34 Schultz:34 Luna:34 Fowler:34 Mejia:34 Davidson:33 Acosta:33
  Brewer:33 May:33 Holland:33 Juarez:33 Newman:33 Pearson:33 Curtis:33 Cortez:33 Douglas:33
  Schneider:33 Joseph:33 Barrett:32 Navarro:32 Figueroa:32 Keller:32 Avila:32 Wade:32 Molina:32
  Stanley:32 Hopkins:32 Campos:32 Barnett:32 Bates:31 Chambers:31 Caldwell:31 Beck:31 Lambert:31
  Miranda:31 Byrd:31 Craig:31 Ayala:31 Lowe:31 Frazier:31 Powers:31 Neal:31 Leonard:31 Gregory:31
  Carrillo:31 Sutton:30 Fleming:30 Rhodes:30 Shelton:30 Schwartz:30 Norris:30 Jennings:30 Watts:30
  Duran:30 Walters:30 Cohen:30 McDaniel:30 Moran:30 Parks:30 Steele:30 Vaughn:29 Becker:29 Holt:29
  DeLeon:29 Barker:29 Terry:29 Hale:29 Leon:29 Benson:29 Haynes:29 Horton:29 Miles:29 Lyons:29
  Pham:29 Graves:29 Bush:29 Thornton:29 Wolfe:29 Warner:29 Cabrera:29 McKinney:28 Mann:28 Zimmerman:28
  Dawson:28 Lara:28 Fletcher:28 Page:28 McCarthy:28 Love:28 Robles:28 Cervantes:28 Solis:28
  Erickson:28 Reeves:28 Chang:27 Klein:27 Salinas:27 Fuentes:27 Baldwin:27 Daniel:27 Simon:27
  Velasquez:27 Hardy:27 Higgins:27 Aguirre:27 Lin:27 Cummings:27 Chandler:27 Sharp:27 Barber:27
  Bowen:27 Ochoa:27 Dennis:27 Robbins:26 Liu:26 Ramsey:26 Francis:26 Griffith:26 Paul:26 Blair:26
  O'Connor:26 Cardenas:26 Pacheco:26 Cross:26 Calderon:26 Quinn:26 Moss:26 Swanson:26 Chan:26 Rivas:26
  Khan:26 Rodgers:26 Serrano:26 Fitzgerald:26 Rosales:26 Stevenson:26 Christensen:26 Manning:26
  Gill:25 Curry:25 McLaughlin:25 Harmon:25 McGee:25 Gross:25 Doyle:25 Garner:25 Newton:25 Burgess:25
  Reese:25 Walton:25 Blake:25 Trujillo:25 Adkins:25 Brady:25 Goodman:25 Roman:25 Webster:25 Goodwin:25
  Fischer:25 Huang:25 Potter:25 Delacruz:24 Montoya:24 Todd:24
`);

/** Male given names by frequency. */
export const MALE_GIVEN_NAMES = parseWeighted(`
  James:4.8 John:4.6 Robert:4.5 Michael:4.3 William:3.6 David:3.5 Richard:2.4 Joseph:2.3 Thomas:2.1
  Charles:2.1 Christopher:1.9 Daniel:1.8 Matthew:1.6 Anthony:1.3 Mark:1.3 Donald:1.2 Steven:1.2
  Paul:1.1 Andrew:1.1 Joshua:1.1 Kenneth:1.0 Kevin:1.0 Brian:1.0 George:1.0 Timothy:0.9 Ronald:0.9
  Edward:0.9 Jason:0.8 Jeffrey:0.8 Ryan:0.8 Jacob:0.8 Gary:0.8 Nicholas:0.8 Eric:0.7 Jonathan:0.7
  Stephen:0.7 Larry:0.7 Justin:0.7 Scott:0.7 Brandon:0.7 Benjamin:0.6 Samuel:0.6 Gregory:0.6
  Alexander:0.6 Frank:0.6 Patrick:0.6 Raymond:0.6 Jack:0.6 Dennis:0.5 Jerry:0.5 Tyler:0.5 Aaron:0.5
  Jose:0.5 Adam:0.5 Nathan:0.5 Henry:0.5 Douglas:0.5 Zachary:0.5 Peter:0.5 Kyle:0.5 Noah:0.5 Ethan:0.5
  Jeremy:0.4 Walter:0.4 Christian:0.4 Keith:0.4 Roger:0.4 Terry:0.4 Austin:0.4 Sean:0.4 Gerald:0.4
  Carl:0.4 Harold:0.4 Dylan:0.4 Arthur:0.4 Lawrence:0.4 Jordan:0.4 Jesse:0.4 Bryan:0.4 Billy:0.3
  Bruce:0.3 Gabriel:0.3 Joe:0.3 Logan:0.3 Alan:0.3 Juan:0.3 Albert:0.3 Willie:0.3 Elijah:0.3 Wayne:0.3
  Randy:0.3 Vincent:0.3 Mason:0.3 Roy:0.3 Ralph:0.3 Bobby:0.3 Russell:0.3 Bradley:0.3 Philip:0.3
  Eugene:0.3 Liam:0.3 Luis:0.3 Carlos:0.3 Aiden:0.2 Lucas:0.2 Oliver:0.2 Miguel:0.2 Wei:0.1 Minh:0.1
  Rahul:0.1
`);

/** Female given names by frequency. */
export const FEMALE_GIVEN_NAMES = parseWeighted(`
  Mary:2.6 Patricia:1.1 Jennifer:1.0 Linda:1.0 Elizabeth:0.9 Barbara:0.9 Susan:0.8 Jessica:0.8
  Sarah:0.7 Karen:0.7 Lisa:0.6 Nancy:0.6 Betty:0.6 Sandra:0.5 Margaret:0.5 Ashley:0.5 Kimberly:0.5
  Emily:0.5 Donna:0.5 Michelle:0.5 Carol:0.5 Amanda:0.5 Melissa:0.4 Deborah:0.4 Stephanie:0.4
  Dorothy:0.4 Rebecca:0.4 Sharon:0.4 Laura:0.4 Cynthia:0.4 Amy:0.4 Kathleen:0.4 Angela:0.4 Shirley:0.4
  Emma:0.4 Brenda:0.4 Pamela:0.4 Nicole:0.4 Anna:0.3 Samantha:0.3 Katherine:0.3 Christine:0.3
  Debra:0.3 Rachel:0.3 Carolyn:0.3 Janet:0.3 Maria:0.3 Olivia:0.3 Heather:0.3 Helen:0.3 Catherine:0.3
  Diane:0.3 Julie:0.3 Victoria:0.3 Joyce:0.3 Lauren:0.3 Kelly:0.3 Christina:0.3 Ruth:0.3 Joan:0.3
  Virginia:0.3 Judith:0.3 Evelyn:0.3 Hannah:0.3 Andrea:0.3 Megan:0.3 Cheryl:0.3 Jacqueline:0.3
  Madison:0.3 Teresa:0.2 Abigail:0.2 Sophia:0.2 Martha:0.2 Sara:0.2 Gloria:0.2 Janice:0.2 Kathryn:0.2
  Ann:0.2 Isabella:0.2 Judy:0.2 Charlotte:0.2 Julia:0.2 Grace:0.2 Amber:0.2 Alice:0.2 Jean:0.2
  Denise:0.2 Frances:0.2 Danielle:0.2 Marilyn:0.2 Natalie:0.2 Beverly:0.2 Diana:0.2 Brittany:0.2
  Theresa:0.2 Kayla:0.2 Alexis:0.2 Doris:0.2 Lori:0.2 Tiffany:0.2 Ava:0.2 Mia:0.2 Chloe:0.2 Rosa:0.2
  Ana:0.2 Guadalupe:0.1 Mei:0.1 Linh:0.1 Priya:0.1 Fatima:0.1
`);
