// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorVoteSlot} from "./GovernorVoteSlot.sol";

/**
 * @title GovernorAnalysts
 * @notice Governor extension: accounts that governance registers as *analysts* (automated actors such
 * as the AI analyst) may submit proposals without meeting the proposal threshold.
 * @dev Analysts advise, people decide. An analyst:
 * - may propose below the threshold (all other proposal rules, such as the `#proposer=` description
 *   suffix, still apply);
 * - may not vote at all, so it can never cast votes delegated or lent to it;
 * - is registered and removed only by governance itself (through the timelock, `onlyGovernance`).
 * A vote checks the voter against a filter of the analysts kept in {GovernorVoteSlot}, and looks the
 * voter up in the registry only when the filter cannot rule it out.
 */
abstract contract GovernorAnalysts is Governor, GovernorVoteSlot {
    mapping(address account => bool) private _analysts;
    /// @dev The registered analysts, to rebuild the filter when one is removed.
    address[] private _analystList;

    /// @notice The zero address cannot be an analyst.
    error GovernorInvalidAnalyst(address account);
    /// @notice An analyst tried to vote; analysts have no votes.
    error GovernorAnalystCannotVote(address account);

    /**
     * @notice Emitted when governance registers or removes an analyst.
     * @param account The analyst's address.
     * @param registered True when registered, false when removed.
     */
    event AnalystSet(address indexed account, bool registered);

    /**
     * @param initialAnalysts Analysts registered at deployment (for example the AI analyst's key).
     */
    constructor(address[] memory initialAnalysts) {
        for (uint256 i = 0; i < initialAnalysts.length; ++i) {
            _setAnalyst(initialAnalysts[i], true);
        }
    }

    /// @notice Whether `account` is a registered analyst.
    function isAnalyst(address account) public view virtual returns (bool) {
        return _analysts[account];
    }

    /**
     * @notice Registers (`registered = true`) or removes an analyst. Only callable by governance,
     * that is by a successful proposal executed through the timelock.
     * @param account The analyst's address; must not be zero.
     * @param registered Whether `account` is an analyst after the call.
     */
    function setAnalyst(address account, bool registered) public virtual onlyGovernance {
        _setAnalyst(account, registered);
    }

    /**
     * @notice Creates a proposal. Analysts skip the proposal threshold; everyone else follows the
     * standard rules of {Governor-propose}.
     */
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public virtual override returns (uint256) {
        address proposer = _msgSender();
        if (!isAnalyst(proposer)) {
            return super.propose(targets, values, calldatas, description);
        }
        if (!_isValidDescriptionForProposer(proposer, description)) {
            revert GovernorRestrictedProposer(proposer);
        }
        return _propose(targets, values, calldatas, description, proposer);
    }

    function _setAnalyst(address account, bool registered) internal virtual {
        if (account == address(0)) revert GovernorInvalidAnalyst(account);
        if (registered && !_analysts[account]) {
            _analysts[account] = true;
            _analystList.push(account);
            _voteSlot.analystFilter |= _analystFilterBits(account);
        } else if (!registered && _analysts[account]) {
            _analysts[account] = false;
            uint160 filter = 0;
            uint256 count = _analystList.length;
            for (uint256 i = 0; i < count; ) {
                if (_analystList[i] == account) {
                    _analystList[i] = _analystList[--count];
                    _analystList.pop();
                } else {
                    filter |= _analystFilterBits(_analystList[i]);
                    ++i;
                }
            }
            _voteSlot.analystFilter = filter;
        }
        emit AnalystSet(account, registered);
    }

    /// @dev Analysts cannot vote, whatever voting power they were delegated.
    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal virtual override returns (uint256) {
        uint160 bits = _analystFilterBits(account);
        if (_voteSlot.analystFilter & bits == bits && isAnalyst(account)) revert GovernorAnalystCannotVote(account);
        return super._castVote(proposalId, account, support, reason, params);
    }
}
