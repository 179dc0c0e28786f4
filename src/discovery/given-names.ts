/**
 * Common given names across the EEA and the UK, lower case without diacritics, for discovery's
 * name detector. A short list is enough: it only supports a column name or table that already
 * suggests people, and a sample where most values hold one of these names.
 */
const names = `
anna maria elena eva sara sarah laura julia lena lisa emma hanna hannah sofia sophie sophia olivia
mia emilia ella alice alicia clara klara ida elin ebba wilma freja frida agnes astrid ingrid karin
kerstin birgitta margareta kristina christina helena ulla inger linnea maja saga signe tove ingeborg
nora nina sanna johanna katarina elisabeth elisabet elizabeth charlotte caroline louise amelie
isabella isabel chiara giulia francesca martina valentina alessia federica giorgia paola lucia
carmen pilar ana isabel marta ines beatriz mariana leonor catarina joana rita teresa camille manon
chloe lea juliette pauline marie ines zoe anouk fleur sanne lotte femke noor iris eline lieke
agnieszka katarzyna malgorzata magdalena joanna ewa barbara zofia aleksandra natalia dorota
jana petra lucie tereza veronika zuzana monika ivana eszter katalin zsofia andrea ioana elena
aino aada helmi sofia venla emilia siiri kaisa liisa maarit tuula sinikka pirjo anja birgit
sabine ursula monika petra heike claudia susanne stefanie nicole katrin anke silke jessica
emily grace charlotte amelia isla ava poppy jessica lucy ruby freya chloe megan rachel rebecca
emma mette mette lone hanne pia camilla line maja ida signe karen kirsten birthe jette
ingvild solveig kari liv marit randi tone hilde gunn siri silje
johan jan lars anders per erik nils karl carl olof olov gustav gustaf axel oscar oskar lucas
lukas liam noah william hugo elias alexander viktor victor filip philip isak isac leo ludvig
adam albin anton emil edvin elliot harry jack oliver theo theodor vincent nils mikael michael
magnus mattias matthias martin thomas tomas stefan peter pieter henrik fredrik daniel david
andreas jonas jonathan sebastian simon tobias mats hans bengt sven goran leif ake bjorn bo kjell
rolf ulf stig lennart arne gunnar ingvar kent roger jorgen soren niels rasmus mads kasper
jesper morten ole poul frederik christian kristian jens knut olav ola trond espen geir
mikko juha jukka matti timo kari antti pekka sami janne ville tuomas heikki eero aleksi
jurgen jorg klaus wolfgang dieter werner gunter horst helmut uwe manfred frank ralf dirk
markus jens tim jan felix maximilian paul ben leon finn moritz niklas jannik julian lukas
jean pierre louis nicolas julien antoine francois philippe michel alain thierry olivier
guillaume mathieu baptiste hugo arthur gabriel raphael leo
giuseppe giovanni antonio francesco marco alessandro luca andrea matteo lorenzo davide
stefano roberto paolo riccardo simone federico
jose juan carlos javier miguel manuel pedro pablo sergio alejandro diego jorge alberto
raul fernando rafael joao rui tiago ricardo nuno goncalo duarte miguel
piotr krzysztof andrzej tomasz pawel marcin michal jakub kamil lukasz mateusz wojciech
jiri josef petr pavel martin tomas lukas jakub milan
laszlo istvan zoltan gabor attila bence mate
ion andrei mihai alexandru gheorghe vasile cristian
dimitris nikos giorgos konstantinos ioannis
sean patrick liam conor ciaran niamh aoife siobhan sinead
james john robert richard charles george edward henry joseph benjamin samuel matthew
luke joshua ryan nathan dylan jake connor callum kieran owen rhys
`;

export const givenNames: ReadonlySet<string> = new Set(names.split(/\s+/).filter((n) => n.length > 0));
