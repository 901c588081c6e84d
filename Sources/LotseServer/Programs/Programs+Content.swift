import LotseAPI
import Vapor

// The programs feature's wire types as HTTP content.
extension Institution: Content {}
extension StaffMember: Content {}
extension Program: Content {}
extension ProgramInvitation: Content {}
extension ProgramParticipant: Content {}
extension ImportedParticipants: Content {}
extension JoinableProgram: Content {}
extension RegistrationQuestions: Content {}
extension RegistrationForm: Content {}
extension MatchingProposal: Content {}
extension ProgramMatch: Content {}
extension PublishedMatches: Content {}
extension MentorSuggestion: Content {}
extension MyProgram: Content {}
extension GuardianConsent: Content {}
extension ProgramReport: Content {}
extension PairMeeting: Content {}
