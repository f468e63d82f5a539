[playlist]
File1=folder/lomepal - trop beau.mp3
Title1= trop beau

File2=folder/Therapie TAXI - Ete 90.mp3
Title2= Ete 90

NumberOfEntries=2
Version=2
