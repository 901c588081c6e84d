/// The directory feature's sentences in German and English: its error messages.
extension Texts {
    static let directory = Texts(
        english: [
            "directory.profile_not_found": "There is no such public profile.",
            "directory.coaches_only": "Only coaches have a directory profile.",
            "directory.slug_taken": "Another coach already uses this address. Please choose another one.",
            "directory.photo_too_large": "A photo can be at most 2 MB.",
            "directory.photo_type": "A photo must be a PNG, JPEG or WebP image.",
        ],
        german: [
            "directory.profile_not_found": "Dieses öffentliche Profil gibt es nicht.",
            "directory.coaches_only": "Nur Coaches haben ein Profil im Verzeichnis.",
            "directory.slug_taken": "Diese Adresse verwendet schon ein anderer Coach. Bitte wählen Sie eine andere.",
            "directory.photo_too_large": "Ein Foto darf höchstens 2 MB groß sein.",
            "directory.photo_type": "Ein Foto muss ein PNG-, JPEG- oder WebP-Bild sein.",
        ])
}
