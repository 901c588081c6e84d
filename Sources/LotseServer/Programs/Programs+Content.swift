import LotseAPI
import Vapor

// The programs feature's wire types as HTTP content.
extension Institution: APIContent {}
extension StaffMember: APIContent {}
extension Program: APIContent {}
extension ProgramInvitation: APIContent {}
extension ProgramParticipant: APIContent {}
extension ImportedParticipants: APIContent {}
extension JoinableProgram: APIContent {}
extension RegistrationQuestions: APIContent {}
extension RegistrationForm: APIContent {}
extension MatchingProposal: APIContent {}
extension ProgramMatch: APIContent {}
extension PublishedMatches: APIContent {}
extension MentorSuggestion: APIContent {}
extension MyProgram: APIContent {}
extension GuardianConsent: APIContent {}
extension ProgramReport: APIContent {}
extension PairMeeting: APIContent {}
