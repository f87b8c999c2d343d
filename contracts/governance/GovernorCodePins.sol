// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";

/**
 * @title GovernorCodePins
 * @notice Governor extension: the code of every target is pinned when a proposal is created, and the
 * proposal can be neither queued nor executed once any target's code differs from its pin. Voters
 * approve calls to the code they could read; code that changed since the vote can never run.
 * @dev A pin is the target's `EXTCODEHASH`, with "no code" (an account that does not exist, or one
 * without code) recorded as zero, so funding an empty recipient between the vote and execution does
 * not count as a change. What is covered on chain:
 * - a contract destroyed and redeployed at the same address with other code (CREATE2 metamorphic
 *   contracts, on chains where SELFDESTRUCT still removes code);
 * - code appearing at an address that had none when proposed (a CREATE2 address deployed later);
 * - an EIP-7702 delegation added to, changed on or removed from a target account (its code is the
 *   delegation designator, so its hash changes with the delegate).
 * What is not: a proxy keeps its own code when its implementation or beacon changes, and a target's
 * storage, balances and the code of contracts it calls are not pinned. Those stay with the
 * off-chain analyst and executor, which watch implementation slots.
 */
abstract contract GovernorCodePins is Governor {
    bytes32 private constant _EMPTY_CODE_HASH = keccak256("");

    /// @dev proposalId => action index => the target's code hash at creation (0: no code).
    mapping(uint256 proposalId => mapping(uint256 index => bytes32)) private _codePins;

    /**
     * @notice The code at `target` is not the code pinned when the proposal was created.
     * @param proposalId The proposal.
     * @param target The target whose code changed.
     * @param pinned Its code hash when the proposal was created (zero: it had no code).
     * @param current Its code hash now (zero: it has no code).
     */
    error GovernorTargetCodeChanged(uint256 proposalId, address target, bytes32 pinned, bytes32 current);

    /**
     * @notice Emitted when a proposal is created, with the code hash pinned for each of its actions.
     * @param proposalId The proposal.
     * @param targets Its targets, in action order.
     * @param codeHashes Each target's code hash (zero: no code), in action order.
     */
    event ProposalCodePinned(uint256 indexed proposalId, address[] targets, bytes32[] codeHashes);

    /**
     * @notice The code hash pinned for each action of `proposalId` (zero: no code), in action order.
     * Empty for a proposal that does not exist.
     * @param proposalId The proposal.
     * @param actionCount How many actions to read (the proposal's number of targets).
     */
    function proposalCodePins(uint256 proposalId, uint256 actionCount) public view virtual returns (bytes32[] memory pins) {
        pins = new bytes32[](actionCount);
        for (uint256 i = 0; i < actionCount; ++i) {
            pins[i] = _codePins[proposalId][i];
        }
    }

    /// @notice The code hash of `account` as pinned: its `EXTCODEHASH`, or zero when it has no code.
    function codeHashOf(address account) public view virtual returns (bytes32) {
        bytes32 hash = account.codehash;
        // An existing account without code hashes to keccak256(""), one that does not exist to zero.
        return hash == _EMPTY_CODE_HASH ? bytes32(0) : hash;
    }

    /// @dev Pins each target's code hash.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        bytes32[] memory hashes = new bytes32[](targets.length);
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes32 hash = codeHashOf(targets[i]);
            hashes[i] = hash;
            // "No code" is the mapping's default: nothing to store.
            if (hash != bytes32(0)) _codePins[proposalId][i] = hash;
        }
        emit ProposalCodePinned(proposalId, targets, hashes);
    }

    /// @dev Refuses to queue when a target's code changed since the proposal was created.
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal virtual override returns (uint48) {
        _checkCodePins(proposalId, targets);
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Refuses to execute when a target's code changed since the proposal was created.
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal virtual override {
        _checkCodePins(proposalId, targets);
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _checkCodePins(uint256 proposalId, address[] memory targets) internal view virtual {
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes32 pinned = _codePins[proposalId][i];
            bytes32 current = codeHashOf(targets[i]);
            if (current != pinned) revert GovernorTargetCodeChanged(proposalId, targets[i], pinned, current);
        }
    }
}
