export {
  decodeProposalCreated,
  descriptionBytesOf,
  hashDescription,
  hashProposal,
  proposalCreatedEvent,
  timelockSalt,
  type ProposalCreated,
} from "./proposal.ts";
